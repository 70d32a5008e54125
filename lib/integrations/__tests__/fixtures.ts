import { randomUUID } from "node:crypto";
import type { Actor } from "../../auth/actor.ts";
import type { TestDatabase } from "../../testing/test-database.ts";

// Rows the delivery tests insert directly, at known times: the worker is not
// what they test, and each test owns its rows.

export const privacyActor: Actor = {
  kind: "user",
  id: "00000000-0000-4000-8000-0000000000d2",
  label: "privacy@example.com",
  role: "privacy_officer",
  ip: "203.0.113.7",
  userAgent: "vitest",
};
export const auditorActor: Actor = {
  ...privacyActor,
  id: "00000000-0000-4000-8000-0000000000d4",
  label: "auditor@example.com",
  role: "auditor",
};

export async function insertIntegration(
  db: TestDatabase,
  input: { name?: string; enabled?: boolean; disabledReason?: string | null; purposes?: string[] } = {},
): Promise<string> {
  const id = randomUUID();
  const tag = id.slice(0, 8);
  await db.driver.query(
    `INSERT INTO integrations (id, name, vendor, endpoint, purposes, enabled, disabled_reason, disabled_at)
     VALUES ($1, $2, $3, 'https://example.test/hook', $4, $5, $6, CASE WHEN $6::text IS NULL THEN NULL ELSE now() END)`,
    [id, input.name ?? `Integration ${tag}`, `v-${tag}`, input.purposes ?? [], input.enabled ?? true, input.disabledReason ?? null],
  );
  return id;
}

export interface SignalInput {
  integrationId: string;
  customerId?: string | null;
  kind?: "consent_change" | "delete" | "test";
  status?: "pending" | "retrying" | "delivered" | "failed";
  attempts?: number;
  attemptBase?: number;
  createdAt?: Date;
  deliveredAt?: Date | null;
  failedAt?: Date | null;
  nextAttemptAt?: Date;
  consentChangeId?: string | null;
  payload?: Record<string, unknown>;
  lastError?: string | null;
  lastStatusCode?: number | null;
  receiverRef?: string | null;
}

export async function insertSignal(db: TestDatabase, s: SignalInput): Promise<string> {
  const id = randomUUID();
  const createdAt = s.createdAt ?? new Date();
  await db.driver.query(
    `INSERT INTO integration_signals (id, integration_id, customer_id, kind, consent_change_id, payload, status, attempts, attempt_base,
       next_attempt_at, created_at, delivered_at, failed_at, last_error, last_status_code, receiver_ref, last_attempt_at)
     VALUES ($1, $2, $3, $4::signal_kind, $5, $6, $7::signal_status, $8, $9, $10, $11, $12, $13, $14, $15, $16,
       CASE WHEN $8::int > 0 THEN $11::timestamptz END)`,
    [
      id,
      s.integrationId,
      s.customerId ?? null,
      s.kind ?? "consent_change",
      s.consentChangeId ?? null,
      s.payload ?? {},
      s.status ?? "pending",
      s.attempts ?? 0,
      s.attemptBase ?? 0,
      s.nextAttemptAt ?? createdAt,
      createdAt,
      s.deliveredAt ?? null,
      s.failedAt ?? null,
      s.lastError ?? null,
      s.lastStatusCode ?? null,
      s.receiverRef ?? null,
    ],
  );
  return id;
}

export interface AttemptInput {
  signalId: string;
  integrationId: string;
  attempt: number;
  startedAt: Date;
  statusCode?: number | null;
  latencyMs?: number;
  error?: string | null;
  outcome?: "delivered" | "retry" | "failed" | "disabled";
  receiverRef?: string | null;
}

export async function insertAttempt(db: TestDatabase, a: AttemptInput): Promise<void> {
  await db.driver.query(
    `INSERT INTO delivery_attempts (signal_id, integration_id, attempt, started_at, status_code, latency_ms, error, receiver_ref, outcome, worker)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'test')`,
    [
      a.signalId,
      a.integrationId,
      a.attempt,
      a.startedAt,
      a.statusCode ?? null,
      a.latencyMs ?? 100,
      a.error ?? null,
      a.receiverRef ?? null,
      a.outcome ?? "delivered",
    ],
  );
}

export const minutes = (n: number) => n * 60_000;
export const hours = (n: number) => n * 3_600_000;
export const days = (n: number) => n * 86_400_000;
