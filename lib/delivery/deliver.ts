import "server-only";
import type { SqlDriver } from "../db/driver.ts";
import { bindNamed } from "../db/named.ts";
import { CLAIM_SQL, type ClaimedRow, type FinishParams } from "./claim-sql.ts";
import type { EndpointPolicy } from "./endpoint-policy.ts";
import { webhookBody } from "./envelope.ts";
import type { Recorder } from "./recorder.ts";
import { decideOutcome, type Outcome } from "./schedule.ts";
import type { sendSigned } from "./send.ts";
import { secretsInEffect, signatureHeaders } from "./signing.ts";

// One signal's attempt, from claim to record: the body, the signatures, the
// request, the retry rule's decision, and its record (lib/delivery/recorder.ts).

export type Send = typeof sendSigned;

export interface DeliveryContext {
  driver: SqlDriver;
  recorder: Recorder;
  workerId: string;
  leaseMs: number;
  policy: EndpointPolicy;
  requestTimeoutMs: number;
  clock: () => Date;
  random: () => number;
  send: Send;
}

/** What one attempt came to, as recorded. */
export interface AttemptRecord {
  signalId: string;
  integrationId: string;
  attempt: number;
  outcome: Outcome["outcome"];
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
  /** False when the claim had been lost (its lease ran out and another worker claimed it): the signal was left as that worker has it. */
  applied: boolean;
  /** True when this attempt's 410 disabled the integration. */
  disabledIntegration: boolean;
}

/** How a claim shares the worker's slots (fair-share.ts): what it holds of each integration, and the most one may hold. */
export interface ClaimShare {
  /** Requests in flight, by integration id. */
  held?: ReadonlyMap<string, number>;
  /** Default: `limit` (a claim alone, outside a worker). */
  cap?: number;
}

export async function claimDue(
  ctx: Pick<DeliveryContext, "workerId" | "leaseMs" | "clock"> & { driver: Pick<SqlDriver, "query"> },
  limit: number,
  { held = new Map(), cap = limit }: ClaimShare = {},
): Promise<ClaimedRow[]> {
  const params = {
    limit,
    cap,
    held: JSON.stringify(Object.fromEntries(held)),
    lease_ms: ctx.leaseMs,
    worker: ctx.workerId,
    now: ctx.clock().toISOString(),
  };
  return ctx.driver.query<ClaimedRow>(CLAIM_SQL.text, bindNamed(CLAIM_SQL, params), { name: "delivery_claim" });
}

/** Signs and sends one claimed signal and decides what its answer means; writes nothing. */
export async function attemptDelivery(ctx: DeliveryContext, row: ClaimedRow): Promise<{ finish: FinishParams; outcome: Outcome }> {
  const started = ctx.clock();
  const body = webhookBody({ kind: row.kind, createdAt: new Date(row.created_at), payload: row.payload });
  const integration = {
    signingSecret: row.signing_secret,
    previousSecret: row.previous_secret,
    previousSecretExpiresAt: row.previous_secret_expires_at ? new Date(row.previous_secret_expires_at) : null,
  };
  let headers: Record<string, string> | null = null;
  try {
    const timestamp = Math.floor(started.getTime() / 1000);
    headers = { ...signatureHeaders({ id: row.id, timestamp, body, secrets: secretsInEffect(integration, started) }) };
  } catch {
    // A secret that is not whsec_ base64 (written by hand into the table): nothing can be signed.
  }
  const sent = headers
    ? await ctx.send(row.endpoint, headers, body, ctx.policy, ctx.requestTimeoutMs)
    : { result: { status: null, error: "The integration's signing secret is not valid." } as const, latencyMs: 0, receiverRef: null };
  const finished = ctx.clock();
  // The schedule counts attempts since a person last retried the signal by hand.
  const outcome = decideOutcome(sent.result, row.attempts - row.attempt_base, finished, ctx.random());
  const finish: FinishParams = {
    id: row.id,
    attempts: row.attempts,
    worker: ctx.workerId,
    // A 410's signal waits, due, for the integration to be resumed.
    status: outcome.outcome === "delivered" ? "delivered" : outcome.outcome === "failed" ? "failed" : "retrying",
    next_attempt_at: outcome.outcome === "retry" ? outcome.nextAttemptAt.toISOString() : null,
    started_at: started.toISOString(),
    finished_at: finished.toISOString(),
    status_code: sent.result.status,
    latency_ms: sent.latencyMs,
    error: outcome.outcome === "delivered" ? null : outcome.reason,
    receiver_ref: sent.receiverRef,
    outcome: outcome.outcome,
  };
  return { finish, outcome };
}

export async function deliverClaimed(ctx: DeliveryContext, row: ClaimedRow): Promise<AttemptRecord> {
  const { finish, outcome } = await attemptDelivery(ctx, row);
  const { held, disabled } =
    outcome.outcome === "disabled"
      ? await ctx.recorder.recordDisabling(finish, { integrationId: row.integration_id, reason: outcome.reason })
      : { held: await ctx.recorder.record(finish), disabled: false };
  return {
    signalId: row.id,
    integrationId: row.integration_id,
    attempt: row.attempts,
    outcome: outcome.outcome,
    statusCode: finish.status_code,
    error: finish.error,
    latencyMs: finish.latency_ms,
    applied: held,
    disabledIntegration: disabled,
  };
}
