import "server-only";
import { appendAudit } from "../audit/append.ts";
import { authorize, type Actor } from "../auth/actor.ts";
import { getPrisma, type Db } from "../db/index.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { MAX_BULK_RETRY, PathIdSchema } from "../validations/deliveries.ts";
import { notifySignalsDue } from "./notify.ts";

// A person's retry of failed signals (issue 10, item 4): the signal keeps its
// row and so its id, which is the webhook-id receivers deduplicate on, and
// attempt_base = attempts starts the retry schedule afresh
// (lib/delivery/schedule.ts counts attempts - attempt_base). The dashboard's
// actions and the REST routes both call these.

export { MAX_BULK_RETRY };

export type RetryRefusal = "signal_not_found" | "integration_not_found" | "not_failed" | "integration_paused";

/** A retry the rules refuse, with the message for the person who asked and the HTTP status the API answers. */
export class DeliveryRetryError extends Error {
  constructor(
    readonly code: RetryRefusal,
    message: string,
  ) {
    super(message);
    this.name = "DeliveryRetryError";
  }

  get status(): 404 | 409 {
    return this.code === "signal_not_found" || this.code === "integration_not_found" ? 404 : 409;
  }
}

export const RESUME_FIRST = "Resume the integration first: a paused or disabled integration sends nothing, so a retry would only wait.";

export interface RetriedSignals {
  integrationId: string;
  integrationName: string;
  /** The signals now pending again (same ids). */
  ids: string[];
  /** Failed signals of the integration left for another retry (over MAX_BULK_RETRY). */
  remaining: number;
}

type IntegrationRow = { id: string; name: string; enabled: boolean; disabled_reason: string | null };

// FOR SHARE: a pause or resume committed meanwhile is waited for, not missed.
const LOCK_INTEGRATION = `SELECT id::text AS id, name, enabled, disabled_reason FROM integrations WHERE id = $1::uuid FOR SHARE`;

// The same row, so the same id; the lease is cleared in case a crashed claim left one.
const RETRY_SET = `status = 'pending', next_attempt_at = now(), attempt_base = s.attempts, failed_at = NULL, lease_until = NULL, leased_by = NULL`;

function refuseUnlessConnected(integration: IntegrationRow) {
  if (!integration.enabled) throw new DeliveryRetryError("integration_paused", RESUME_FIRST);
}

async function finish(tx: Db, actor: Actor, retried: RetriedSignals, target: { type: string; id: string }) {
  await notifySignalsDue(tx);
  // Last in the transaction: the audit entry's chain lock is held until commit (lib/audit/append.ts).
  await appendAudit(
    {
      actor,
      action: "delivery.retry",
      target,
      summary: {
        integration_id: retried.integrationId,
        integration: retried.integrationName,
        count: retried.ids.length,
        ids: retried.ids,
        ...(retried.remaining > 0 ? { remaining: retried.remaining } : {}),
      },
    },
    tx,
  );
}

export const TEST_NOT_RETRIED = "A test signal is sent once and not retried: send a new one from Settings → Integrations.";

/** Retries one failed signal. Refused unless it is failed and its integration is connected. */
export async function retrySignal(actor: Actor, signalId: string, db?: PrismaClient): Promise<RetriedSignals> {
  authorize(actor, "deliveries:retry");
  if (!PathIdSchema.safeParse(signalId).success) throw new DeliveryRetryError("signal_not_found", "No signal has this id.");
  return (db ?? (await getPrisma())).$transaction(async (tx) => {
    const [signal] = await tx.$queryRawUnsafe<Array<{ integration_id: string; status: string; kind: string }>>(
      `SELECT integration_id::text AS integration_id, status::text AS status, kind::text AS kind FROM integration_signals WHERE id = $1::uuid`,
      signalId,
    );
    if (!signal) throw new DeliveryRetryError("signal_not_found", "No signal has this id.");
    // A test signal is sent once, while an admin waits, and never handed to the worker (retryableByHand).
    if (signal.kind === "test") throw new DeliveryRetryError("not_failed", TEST_NOT_RETRIED);
    const [integration] = await tx.$queryRawUnsafe<IntegrationRow[]>(LOCK_INTEGRATION, signal.integration_id);
    refuseUnlessConnected(integration!);
    // The status is checked by the update itself: of two retries at once, one changes the row.
    const updated = await tx.$queryRawUnsafe<Array<{ id: string }>>(
      `UPDATE integration_signals s SET ${RETRY_SET} WHERE s.id = $1::uuid AND s.status = 'failed' AND s.kind <> 'test' RETURNING s.id::text AS id`,
      signalId,
    );
    if (updated.length === 0) {
      const [now] = await tx.$queryRawUnsafe<Array<{ status: string }>>(
        `SELECT status::text AS status FROM integration_signals WHERE id = $1::uuid`,
        signalId,
      );
      throw new DeliveryRetryError(
        "not_failed",
        `Only a failed signal can be retried by hand; this one is ${now?.status ?? signal.status}, so it is already being sent or was delivered.`,
      );
    }
    const retried = { integrationId: integration!.id, integrationName: integration!.name, ids: [signalId], remaining: 0 };
    await finish(tx, actor, retried, { type: "integration_signal", id: signalId });
    return retried;
  });
}

/**
 * Retries every failed signal of an integration (up to MAX_BULK_RETRY,
 * oldest failure first). None failed is no error: nothing changes and no
 * entry is written.
 */
export async function retryFailedSignals(actor: Actor, integrationId: string, db?: PrismaClient): Promise<RetriedSignals> {
  authorize(actor, "deliveries:retry");
  const notFound = () => new DeliveryRetryError("integration_not_found", "No integration has this id.");
  if (!PathIdSchema.safeParse(integrationId).success) throw notFound();
  return (db ?? (await getPrisma())).$transaction(async (tx) => {
    const [integration] = await tx.$queryRawUnsafe<IntegrationRow[]>(LOCK_INTEGRATION, integrationId);
    if (!integration) throw notFound();
    refuseUnlessConnected(integration);
    const updated = await tx.$queryRawUnsafe<Array<{ id: string }>>(
      `WITH picked AS (
         SELECT id FROM integration_signals WHERE integration_id = $1::uuid AND status = 'failed' AND kind <> 'test'
         ORDER BY failed_at NULLS FIRST, id LIMIT $2::int FOR UPDATE
       )
       UPDATE integration_signals s SET ${RETRY_SET} FROM picked
       WHERE s.id = picked.id AND s.status = 'failed' RETURNING s.id::text AS id`,
      integrationId,
      MAX_BULK_RETRY,
    );
    const ids = updated.map((r) => r.id).sort();
    let remaining = 0;
    if (ids.length === MAX_BULK_RETRY) {
      const [left] = await tx.$queryRawUnsafe<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM integration_signals WHERE integration_id = $1::uuid AND status = 'failed' AND kind <> 'test'`,
        integrationId,
      );
      remaining = left?.n ?? 0;
    }
    const retried = { integrationId: integration.id, integrationName: integration.name, ids, remaining };
    if (ids.length > 0) await finish(tx, actor, retried, { type: "integration", id: integration.id });
    return retried;
  });
}
