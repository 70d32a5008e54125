import { randomUUID } from "node:crypto";
import type { SqlDriver } from "../../db/driver.ts";
import { generateSigningSecret } from "../signing.ts";

// Records the delivery tests make for themselves: an integration per test
// (its own vendor and receiver), and signals queued as the app queues them.

export interface TestIntegration {
  id: string;
  vendor: string;
  signingSecret: string;
}

export async function createIntegration(
  driver: Pick<SqlDriver, "query">,
  endpoint: string,
  extra: { previousSecret?: string; previousSecretExpiresAt?: Date } = {},
): Promise<TestIntegration> {
  const vendor = `test_${randomUUID().slice(0, 8)}`;
  const signingSecret = generateSigningSecret();
  const [row] = await driver.query<{ id: string }>(
    `INSERT INTO integrations (name, vendor, endpoint, purposes, signing_secret, previous_secret, previous_secret_expires_at)
     VALUES ($1, $2, $3, '{}', $4, $5, $6::timestamptz) RETURNING id`,
    [`Test ${vendor}`, vendor, endpoint, signingSecret, extra.previousSecret ?? null, extra.previousSecretExpiresAt?.toISOString() ?? null],
  );
  return { id: row!.id, vendor, signingSecret };
}

/** Queues `count` signals in one statement (one NOTIFY), each with its index in the payload. */
export async function queueSignals(
  driver: Pick<SqlDriver, "query">,
  integrationId: string,
  count = 1,
  kind: "consent_change" | "delete" | "test" = "test",
): Promise<string[]> {
  const rows = await driver.query<{ id: string }>(
    `INSERT INTO integration_signals (integration_id, kind, payload)
     SELECT $1, $2::signal_kind, jsonb_build_object('n', n) FROM generate_series(1, $3::int) AS n
     RETURNING id`,
    [integrationId, kind, count],
  );
  return rows.map((r) => r.id);
}

export interface SignalRow {
  status: string;
  attempts: number;
  attempt_base: number;
  next_attempt_at: Date;
  lease_until: Date | null;
  leased_by: string | null;
  last_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  receiver_ref: string | null;
  delivered_at: Date | null;
  failed_at: Date | null;
  created_at: Date;
}

export async function signal(driver: Pick<SqlDriver, "query">, id: string): Promise<SignalRow> {
  const [row] = await driver.query<SignalRow>(`SELECT * FROM integration_signals WHERE id = $1`, [id]);
  if (!row) throw new Error(`no signal ${id}`);
  return row;
}

export interface AttemptRow {
  attempt: number;
  started_at: Date;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
  receiver_ref: string | null;
  outcome: string;
  worker: string;
}

export async function attempts(driver: Pick<SqlDriver, "query">, signalId: string): Promise<AttemptRow[]> {
  return driver.query<AttemptRow>(
    `SELECT attempt, started_at, status_code, latency_ms, error, receiver_ref, outcome, worker FROM delivery_attempts WHERE signal_id = $1 ORDER BY attempt`,
    [signalId],
  );
}

/** Stops every integration's queue, so what one test left due is never delivered by the next. */
export async function pauseAllIntegrations(driver: Pick<SqlDriver, "query">): Promise<void> {
  await driver.query(`UPDATE integrations SET enabled = false`);
}
