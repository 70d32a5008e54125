import "server-only";
import { CustomerIdSchema } from "../customers/profile.ts";
import { getDatabase } from "../db/index.ts";
import type { SignalStatus } from "../generated/prisma/enums.ts";
import { isPurpose, type Purpose } from "./purposes.ts";

// When each vendor was told (issue 10, item 6): the signal each consent change
// queued per integration and what became of it, and what each integration had
// been told by a given time. Both read one customer's signals through
// integration_signals (customer_id, created_at DESC).

/** One integration's signal for one consent change, and its fate. */
export interface SignalFate {
  signalId: string;
  integrationId: string;
  integration: string;
  /** The integration's decision the signal carried: syncing allowed or stopped. */
  allowed: boolean | null;
  status: SignalStatus;
  attempts: number;
  createdAt: Date;
  nextAttemptAt: Date;
  deliveredAt: Date | null;
  receiverRef: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  failedAt: Date | null;
}

type FateRow = {
  change_id: string;
  signal_id: string;
  integration_id: string;
  integration: string;
  allowed: boolean | null;
  status: SignalStatus;
  attempts: number;
  created_at: Date;
  next_attempt_at: Date;
  delivered_at: Date | null;
  receiver_ref: string | null;
  last_status_code: number | null;
  last_error: string | null;
  failed_at: Date | null;
};

const ALLOWED = `CASE WHEN jsonb_typeof(s.payload->'allowed') = 'boolean' THEN (s.payload->>'allowed')::boolean END`;

/**
 * The signals each of the customer's consent changes queued, by change id
 * (the history entry's id), each change's by integration name. A change that
 * altered no connected integration's decision queued none: it has no key.
 */
export async function signalFatesForChanges(customerId: string, changeIds: readonly string[]): Promise<Record<string, SignalFate[]>> {
  const ids = changeIds.filter((id) => /^\d{1,19}$/.test(id));
  if (!CustomerIdSchema.safeParse(customerId).success || ids.length === 0) return {};
  const { driver } = await getDatabase();
  const rows = await driver.query<FateRow>(
    `SELECT s.consent_change_id::text AS change_id, s.id::text AS signal_id, s.integration_id::text AS integration_id,
            i.name AS integration, ${ALLOWED} AS allowed, s.status::text AS status, s.attempts, s.created_at, s.next_attempt_at,
            s.delivered_at, s.receiver_ref, s.last_status_code, s.last_error, s.failed_at
     FROM integration_signals s JOIN integrations i ON i.id = s.integration_id
     WHERE s.customer_id = $1::uuid AND s.kind = 'consent_change' AND s.consent_change_id = ANY ($2::bigint[])
     ORDER BY i.name, i.vendor, s.created_at`,
    [customerId, ids],
  );
  const fates: Record<string, SignalFate[]> = Object.create(null) as Record<string, SignalFate[]>;
  for (const r of rows) {
    (fates[r.change_id] ??= []).push({
      signalId: r.signal_id,
      integrationId: r.integration_id,
      integration: r.integration,
      allowed: r.allowed,
      status: r.status,
      attempts: r.attempts,
      createdAt: r.created_at,
      nextAttemptAt: r.next_attempt_at,
      deliveredAt: r.delivered_at,
      receiverRef: r.receiver_ref,
      lastStatusCode: r.last_status_code,
      lastError: r.last_error,
      failedAt: r.failed_at,
    });
  }
  return fates;
}

/** What one integration had been told about the customer by a given time. */
export interface ToldAsOf {
  integrationId: string;
  integration: string;
  vendor: string;
  purposes: Purpose[];
  /** Its newest consent-change signal delivered by then (highest version), or null: not told yet. */
  told: { signalId: string; allowed: boolean | null; version: number | null; deliveredAt: Date; receiverRef: string | null } | null;
}

type ToldRow = {
  integration_id: string;
  integration: string;
  vendor: string;
  purposes: string[];
  signal_id: string | null;
  allowed: boolean | null;
  version: number | null;
  delivered_at: Date | null;
  receiver_ref: string | null;
};

/**
 * Per integration, the newest consent it had been told of at `at`: of the
 * customer's consent-change signals delivered at or before `at`, the one for
 * the highest version (receivers keep the newest version, whatever order the
 * deliveries arrived in), else the latest delivered.
 */
export async function toldAsOf(customerId: string, at: Date): Promise<ToldAsOf[]> {
  if (!CustomerIdSchema.safeParse(customerId).success) return [];
  const { driver } = await getDatabase();
  const rows = await driver.query<ToldRow>(
    `SELECT i.id::text AS integration_id, i.name AS integration, i.vendor, i.purposes,
            t.signal_id, t.allowed, t.version, t.delivered_at, t.receiver_ref
     FROM integrations i
     LEFT JOIN LATERAL (
       SELECT s.id::text AS signal_id, ${ALLOWED} AS allowed, s.delivered_at, s.receiver_ref,
              coalesce(cc.version, CASE WHEN s.payload->>'version' ~ '^[0-9]{1,9}$' THEN (s.payload->>'version')::int END) AS version
       FROM integration_signals s LEFT JOIN consent_changes cc ON cc.id = s.consent_change_id
       WHERE s.customer_id = $1::uuid AND s.integration_id = i.id AND s.kind = 'consent_change' AND s.delivered_at <= $2::timestamptz
       ORDER BY version DESC NULLS LAST, s.delivered_at DESC LIMIT 1
     ) t ON true
     -- An integration added later had nothing to be told by then.
     WHERE i.created_at <= $2::timestamptz
     ORDER BY i.name, i.vendor`,
    [customerId, at.toISOString()],
  );
  return rows.map((r) => ({
    integrationId: r.integration_id,
    integration: r.integration,
    vendor: r.vendor,
    purposes: r.purposes.filter(isPurpose),
    told:
      r.signal_id && r.delivered_at
        ? { signalId: r.signal_id, allowed: r.allowed, version: r.version, deliveredAt: r.delivered_at, receiverRef: r.receiver_ref }
        : null,
  }));
}
