import "server-only";
import type { Actor } from "../auth/actor.ts";
import type { Permission } from "../auth/permissions.ts";
import { getDatabase } from "../db/index.ts";
import { bindNamed, namedSql } from "../db/named.ts";
import { auditEntriesParam, auditInsertSql } from "./append.ts";

// Refused access goes into the audit log (ASVS 7.2.2): who tried what they
// may not do. A refusal is not a change, so it is its own statement; and at
// most REFUSALS_PER_MINUTE per actor are kept, so a script hammering a
// forbidden route cannot flood the permanent log (the count is per actor,
// read in the same statement; a burst of parallel requests may pass a few
// more, never without bound).

export const REFUSALS_PER_MINUTE = 10;

/** What was attempted: a route as its pattern (never a path holding ids), or an action by name. */
export type Attempt = { kind: "route"; method: string; route: string } | { kind: "action"; action: string };

const INSERT_REFUSAL = namedSql<{ audit: string; actor_type: string; actor_id: string; limit: number }>(
  auditInsertSql({
    param: ":audit",
    when: `(SELECT count(*) FROM audit_entries a
            WHERE a.action = 'access.denied' AND a.actor_type = :actor_type AND a.actor_id = :actor_id
              AND a.occurred_at > clock_timestamp() - interval '1 minute') < :limit`,
  }),
);

/** Records that `actor` was refused `attempt` for lacking `permission`. Never throws: a refusal answer must not turn into a 500. */
export async function recordRefusal(actor: Actor, attempt: Attempt, permission: Permission): Promise<void> {
  try {
    const { driver } = await getDatabase();
    const what = attempt.kind === "route" ? `${attempt.method} ${attempt.route}` : attempt.action;
    const audit = auditEntriesParam([
      { actor, action: "access.denied", target: { type: attempt.kind, id: what }, summary: { permission, role: actor.role } },
    ]);
    await driver.query(
      INSERT_REFUSAL.text,
      bindNamed(INSERT_REFUSAL, { audit, actor_type: actor.kind, actor_id: actor.id, limit: REFUSALS_PER_MINUTE }),
    );
  } catch (error) {
    console.warn(`audit: a refusal could not be recorded (${error instanceof Error ? error.name : "error"})`);
  }
}

/**
 * The static path segments of the routes under app/api; any other segment
 * is an id (a customer's external id among them) and is logged as `[id]`.
 * A test walks app/api and fails when a route adds a segment not listed here.
 */
export const API_STATIC_SEGMENTS = new Set([
  "api",
  "audiences",
  "send-preview",
  "audit",
  "export",
  "auth",
  "customers",
  "consent-history",
  "events",
  "openapi.json",
  "storefront",
  "v1",
  "consent",
  "integrations",
  "rotate-secret",
  "test",
  "deliveries",
  "retry-failed",
  "signals",
  "retry",
  "deletion-requests",
  "receipt",
  "extension",
  "deletion-batches",
  "result",
  "approve",
  "reject",
]);

/** A request path as it may be logged: `/api/storefront/v1/customers/[id]/consent`. */
export function routeOf(pathname: string): string {
  return pathname
    .split("/")
    .map((segment) => (segment === "" || API_STATIC_SEGMENTS.has(segment) ? segment : "[id]"))
    .join("/");
}
