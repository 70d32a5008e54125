import { consentEffects } from "../consent/effects.ts";
import { consentFromSnapshot } from "../consent/model.ts";
import { isPurpose } from "../consent/purposes.ts";
import type { SqlDriver } from "../db/driver.ts";
import { MAX_ATTEMPTS, nominalDelaySeconds } from "../delivery/schedule.ts";
import { DEMO, DEMO_CUSTOMERS, DEMO_INTEGRATIONS } from "./reference.ts";

// A delivery history for the demo (issue 10): for each history entry of the
// read-only demo customers (and those e2e/integrations.spec.ts owns), the
// signal each integration whose decision it changed was queued in the same
// transaction — as lib/consent/change.ts queues them — with attempts on the
// retry schedule of lib/delivery/schedule.ts: most delivered at once with a
// receiver's reference, some after failures, a few still retrying and two
// failed. Times follow the history entries; the recent ones
// (reference.ts, recordedHoursAgo) spread over the last 7 days. Demo
// customers only, a few dozen rows: the bulk customers get none. Fixed ids,
// so a second run adds nothing.

type Plan = { kind: "delivered"; failuresFirst: number } | { kind: "retrying"; attempts: number } | { kind: "failed" };

/** What becomes of a signal, by customer and vendor; any other is delivered on its first attempt. */
const PLANS: Readonly<Record<string, Readonly<Record<string, Plan>>>> = {
  [DEMO.iris.id]: { braze: { kind: "failed" }, warehouse: { kind: "delivered", failuresFirst: 1 } },
  [DEMO.kemal.id]: { braze: { kind: "delivered", failuresFirst: 2 } },
  [DEMO.lena.id]: { warehouse: { kind: "retrying", attempts: 7 } },
  [DEMO.mateo.id]: { warehouse: { kind: "retrying", attempts: 5 } },
  [DEMO.nour.id]: { braze: { kind: "failed" } },
};

/** The failures an attempt meets, in turn: what the worker records for each. */
const FAILURES = [
  { statusCode: 503, error: "The endpoint answered 503.", latencyMs: 180 },
  { statusCode: null, error: "No answer within 15 s.", latencyMs: 15_000 },
  { statusCode: 500, error: "The endpoint answered 500.", latencyMs: 240 },
  { statusCode: null, error: "The endpoint refused the connection.", latencyMs: 2 },
] as const;

const REF_PREFIX: Record<string, string> = { meta: "meta-evt", braze: "braze-req", warehouse: "wh" };

/** A stable number in [0, 1) from text (FNV-1a), for the seeded jitter and latencies. */
function unit(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0) / 2 ** 32;
}

export interface SeededAttempt {
  attempt: number;
  startedAt: Date;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  receiverRef: string | null;
  outcome: "delivered" | "retry" | "failed";
}

export interface SeededSignal {
  status: "pending" | "retrying" | "delivered" | "failed";
  attempts: SeededAttempt[];
  nextAttemptAt: Date;
  deliveredAt: Date | null;
  failedAt: Date | null;
  receiverRef: string | null;
}

/**
 * The attempts of one signal queued at `createdAt`, by plan, on the retry
 * schedule (jittered by `key`); none starts after `now` (the rest is then
 * still to come: the signal is retrying). Pure.
 */
export function simulateDelivery(plan: Plan, createdAt: Date, now: Date, key: string, vendor: string): SeededSignal {
  const planned = plan.kind === "delivered" ? plan.failuresFirst + 1 : plan.kind === "retrying" ? plan.attempts : MAX_ATTEMPTS;
  const attempts: SeededAttempt[] = [];
  // A worker picks a fresh signal up within a fraction of a second.
  let start = createdAt.getTime() + 80 + Math.round(unit(`${key}:pickup`) * 400);
  for (let n = 1; n <= planned && start <= now.getTime(); n++) {
    const succeeds = plan.kind === "delivered" && n === planned;
    const failure = FAILURES[(n + vendor.length) % FAILURES.length]!;
    const latencyMs = succeeds ? 90 + Math.round(unit(`${key}:${n}`) * 500) : failure.latencyMs;
    const last = n === planned;
    attempts.push({
      attempt: n,
      startedAt: new Date(start),
      statusCode: succeeds ? 200 : failure.statusCode,
      latencyMs,
      error: succeeds ? null : failure.error,
      receiverRef: succeeds
        ? `${REF_PREFIX[vendor] ?? vendor}-${Math.floor(unit(`${key}:ref`) * 16 ** 8)
            .toString(16)
            .padStart(8, "0")}`
        : null,
      outcome: succeeds ? "delivered" : last && plan.kind === "failed" ? "failed" : "retry",
    });
    // The next attempt: the nominal wait of lib/delivery/schedule.ts with ±20% jitter.
    start += latencyMs + Math.round(nominalDelaySeconds(n) * 1000 * (0.8 + 0.4 * unit(`${key}:wait:${n}`)));
  }
  const final = attempts.at(-1);
  if (!final) return { status: "pending", attempts, nextAttemptAt: new Date(start), deliveredAt: null, failedAt: null, receiverRef: null };
  const finishedAt = new Date(final.startedAt.getTime() + final.latencyMs);
  if (final.outcome === "delivered")
    return {
      status: "delivered",
      attempts,
      nextAttemptAt: final.startedAt,
      deliveredAt: finishedAt,
      failedAt: null,
      receiverRef: final.receiverRef,
    };
  if (final.outcome === "failed")
    return { status: "failed", attempts, nextAttemptAt: finishedAt, deliveredAt: null, failedAt: finishedAt, receiverRef: null };
  return { status: "retrying", attempts, nextAttemptAt: new Date(start), deliveredAt: null, failedAt: null, receiverRef: null };
}

type ChangeRow = { id: string; customer_id: string; version: number; changed_at: Date; before: unknown; after: unknown; changed: string[] };

/** The customers whose history gets signals: changed by no spec but e2e/integrations.spec.ts (which owns its rows). */
const SIGNALLED = DEMO_CUSTOMERS.filter((c) => c.owner === "read-only" || c.owner === "e2e/integrations.spec.ts");

export async function seedDemoDeliveries(driver: SqlDriver, now: Date): Promise<void> {
  const integrations = DEMO_INTEGRATIONS.map((i) => ({ id: i.id, name: i.name, vendor: i.vendor, purposes: i.purposes.filter(isPurpose) }));
  const changes = await driver.query<ChangeRow>(
    `SELECT id::text AS id, customer_id::text AS customer_id, version, changed_at, before, after, changed
     FROM consent_changes WHERE customer_id = ANY ($1::uuid[]) ORDER BY customer_id, version`,
    [SIGNALLED.map((c) => c.id)],
  );
  const externalIds = new Map<string, string>(SIGNALLED.map((c) => [c.id, c.externalId]));
  for (const change of changes) {
    const effects = consentEffects(consentFromSnapshot(change.before), consentFromSnapshot(change.after), integrations);
    for (const effect of effects.integrations) {
      const key = `${change.customer_id}:${change.version}:${effect.vendor}`;
      const plan = PLANS[change.customer_id]?.[effect.vendor] ?? { kind: "delivered", failuresFirst: 0 };
      const signal = simulateDelivery(plan, change.changed_at, now, key, effect.vendor);
      const last = signal.attempts.at(-1);
      const payload = {
        customer_id: externalIds.get(change.customer_id) ?? null,
        version: change.version,
        changed: change.changed,
        vendor: effect.vendor,
        allowed: effect.allowed,
        blocked_by: effect.blockedBy,
        consent_change_id: change.id,
        changed_at: change.changed_at.toISOString(),
      };
      const inserted = await driver.query<{ id: string }>(
        `INSERT INTO integration_signals (id, integration_id, customer_id, kind, consent_change_id, payload, status, attempts,
           next_attempt_at, created_at, delivered_at, last_attempt_at, last_status_code, last_error, receiver_ref, failed_at)
         VALUES (md5('cd-seed-signal-' || $1)::uuid, $2, $3, 'consent_change', $4, $5, $6::signal_status, $7,
           $8, $9, $10, $11, $12, $13, $14, $15)
         ON CONFLICT DO NOTHING RETURNING id::text AS id`,
        [
          key,
          effect.id,
          change.customer_id,
          change.id,
          payload,
          signal.status,
          signal.attempts.length,
          signal.nextAttemptAt,
          change.changed_at,
          signal.deliveredAt,
          last?.startedAt ?? null,
          last?.statusCode ?? null,
          last?.error ?? null,
          signal.receiverRef,
          signal.failedAt,
        ],
      );
      const [row] = inserted;
      if (!row || signal.attempts.length === 0) continue;
      await driver.query(
        `INSERT INTO delivery_attempts (signal_id, integration_id, attempt, started_at, status_code, latency_ms, error, receiver_ref, outcome, worker)
         SELECT $1::uuid, $2::uuid, a.attempt, a.started_at, a.status_code, a.latency_ms, a.error, a.receiver_ref, a.outcome, 'seed'
         FROM jsonb_to_recordset($3::jsonb) AS a(attempt int, started_at timestamptz, status_code int, latency_ms int, error text,
           receiver_ref text, outcome text)`,
        [
          row.id,
          effect.id,
          JSON.stringify(
            signal.attempts.map((a) => ({
              attempt: a.attempt,
              started_at: a.startedAt.toISOString(),
              status_code: a.statusCode,
              latency_ms: a.latencyMs,
              error: a.error,
              receiver_ref: a.receiverRef,
              outcome: a.outcome,
            })),
          ),
        ],
      );
    }
  }
}
