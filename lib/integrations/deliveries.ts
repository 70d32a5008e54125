import "server-only";
import { getDatabase } from "../db/index.ts";
import {
  DELIVERY_PAGE_SIZE,
  encodeDeliveryCursor,
  PathIdSchema,
  type DeliveryLogFilters,
  type SignalKindFilter,
  type SignalStatusFilter,
} from "../validations/deliveries.ts";

// The delivery log of one integration (issue 10, item 5): its signals newest
// first, filtered by status, kind and queue time, keyset-paged on
// (created_at, id) along integration_signals (integration_id, created_at DESC);
// and one signal with every attempt (delivery_attempts (signal_id, attempt)).

export type AttemptOutcome = "delivered" | "retry" | "failed" | "disabled";

export interface DeliveryRow {
  id: string;
  kind: SignalKindFilter;
  status: SignalStatusFilter;
  /** Attempts made, and how many of them came before the last retry by hand (the schedule counts from there). */
  attempts: number;
  attemptBase: number;
  createdAt: Date;
  nextAttemptAt: Date;
  lastAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastLatencyMs: number | null;
  lastError: string | null;
  receiverRef: string | null;
  deliveredAt: Date | null;
  failedAt: Date | null;
  /** The customer by internal id (the link) and external id (what a person reads); null once erased. */
  customer: { id: string; externalId: string | null } | null;
  /** What a consent change told the integration: its resulting decision and the record's version. */
  consent: { allowed: boolean | null; version: number | null } | null;
}

export interface DeliveryPage {
  rows: DeliveryRow[];
  next?: string;
  previous?: string;
}

type Row = {
  id: string;
  kind: SignalKindFilter;
  status: SignalStatusFilter;
  attempts: number;
  attempt_base: number;
  created_at: Date;
  next_attempt_at: Date;
  last_attempt_at: Date | null;
  last_status_code: number | null;
  last_latency_ms: number | null;
  last_error: string | null;
  receiver_ref: string | null;
  delivered_at: Date | null;
  failed_at: Date | null;
  customer_id: string | null;
  external_id: string | null;
  allowed: boolean | null;
  version: number | null;
};

const COLUMNS = `s.id::text AS id, s.kind::text AS kind, s.status::text AS status, s.attempts, s.attempt_base, s.created_at,
  s.next_attempt_at, s.last_attempt_at, s.last_status_code, la.latency_ms AS last_latency_ms, s.last_error, s.receiver_ref,
  s.delivered_at, s.failed_at, s.customer_id::text AS customer_id, c.external_id,
  CASE WHEN jsonb_typeof(s.payload->'allowed') = 'boolean' THEN (s.payload->>'allowed')::boolean END AS allowed,
  CASE WHEN jsonb_typeof(s.payload->'version') = 'number' AND s.payload->>'version' ~ '^[0-9]{1,9}$'
       THEN (s.payload->>'version')::int END AS version`;

// The newest attempt's latency: one probe of delivery_attempts (signal_id, attempt) per row shown.
const FROM = `integration_signals s
  LEFT JOIN customers c ON c.id = s.customer_id
  LEFT JOIN LATERAL (SELECT latency_ms FROM delivery_attempts a WHERE a.signal_id = s.id ORDER BY a.attempt DESC, a.id DESC LIMIT 1) la ON true`;

function toRow(r: Row): DeliveryRow {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    attempts: r.attempts,
    attemptBase: r.attempt_base,
    createdAt: r.created_at,
    nextAttemptAt: r.next_attempt_at,
    lastAttemptAt: r.last_attempt_at,
    lastStatusCode: r.last_status_code,
    lastLatencyMs: r.last_latency_ms,
    lastError: r.last_error,
    receiverRef: r.receiver_ref,
    deliveredAt: r.delivered_at,
    failedAt: r.failed_at,
    customer: r.customer_id ? { id: r.customer_id, externalId: r.external_id } : null,
    consent: r.kind === "consent_change" ? { allowed: r.allowed, version: r.version } : null,
  };
}

/** One page of an integration's delivery log, newest first; empty for a malformed id. */
export async function listDeliveries(
  integrationId: string,
  filters: DeliveryLogFilters,
  pageSize = DELIVERY_PAGE_SIZE,
): Promise<DeliveryPage> {
  if (!PathIdSchema.safeParse(integrationId).success) return { rows: [] };
  const values: unknown[] = [];
  const param = (v: unknown) => `$${values.push(v)}`;
  const where = [`s.integration_id = ${param(integrationId)}::uuid`];
  if (filters.status) where.push(`s.status = ${param(filters.status)}::signal_status`);
  if (filters.kind) where.push(`s.kind = ${param(filters.kind)}::signal_kind`);
  if (filters.from) where.push(`s.created_at >= ${param(filters.from.toISOString())}::timestamptz`);
  if (filters.to) where.push(`s.created_at < ${param(filters.to.toISOString())}::timestamptz`);
  const backwards = !filters.after && Boolean(filters.before);
  const at = filters.after ?? filters.before;
  // A row comparison, so the index bounds the scan instead of filtering it.
  if (at) where.push(`(s.created_at, s.id) ${backwards ? ">" : "<"} (${param(at.t)}::timestamptz, ${param(at.id)}::uuid)`);
  const direction = backwards ? "ASC" : "DESC";
  const { driver } = await getDatabase();
  const rows = await driver.query<Row>(
    `SELECT ${COLUMNS} FROM ${FROM} WHERE ${where.join(" AND ")}
     ORDER BY s.created_at ${direction}, s.id ${direction} LIMIT ${param(pageSize + 1)}`,
    values,
  );

  const more = rows.length > pageSize;
  const page = rows.slice(0, pageSize);
  if (backwards) page.reverse();
  const cursorOf = (row: Row | undefined) => row && encodeDeliveryCursor({ t: row.created_at.toISOString(), id: row.id });
  return {
    rows: page.map(toRow),
    next: (backwards ? true : more) ? cursorOf(page.at(-1)) : undefined,
    previous: (backwards ? more : Boolean(filters.after)) ? cursorOf(page[0]) : undefined,
  };
}

export interface DeliveryAttempt {
  attempt: number;
  startedAt: Date;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  receiverRef: string | null;
  outcome: AttemptOutcome;
}

export interface SignalDetail {
  signal: DeliveryRow;
  attempts: DeliveryAttempt[];
}

type AttemptRow = {
  attempt: number;
  started_at: Date;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
  receiver_ref: string | null;
  outcome: string;
};

const OUTCOMES: readonly string[] = ["delivered", "retry", "failed", "disabled"];

/** One signal of the integration with every attempt, oldest first; null when it is not this integration's (or the ids are malformed). */
export async function getSignalDetail(integrationId: string, signalId: string): Promise<SignalDetail | null> {
  if (!PathIdSchema.safeParse(integrationId).success || !PathIdSchema.safeParse(signalId).success) return null;
  const { driver } = await getDatabase();
  const [signal, attempts] = await Promise.all([
    driver.query<Row>(`SELECT ${COLUMNS} FROM ${FROM} WHERE s.id = $1::uuid AND s.integration_id = $2::uuid`, [signalId, integrationId]),
    driver.query<AttemptRow>(
      `SELECT attempt, started_at, status_code, latency_ms, error, receiver_ref, outcome
       FROM delivery_attempts WHERE signal_id = $1::uuid AND integration_id = $2::uuid ORDER BY attempt, id`,
      [signalId, integrationId],
    ),
  ]);
  if (!signal[0]) return null;
  return {
    signal: toRow(signal[0]),
    attempts: attempts.map((a) => ({
      attempt: a.attempt,
      startedAt: a.started_at,
      statusCode: a.status_code,
      latencyMs: a.latency_ms,
      error: a.error,
      receiverRef: a.receiver_ref,
      outcome: (OUTCOMES.includes(a.outcome) ? a.outcome : "failed") as AttemptOutcome,
    })),
  };
}

/** Whether an integration with this id exists (false for a malformed id). */
export async function integrationExists(integrationId: string): Promise<boolean> {
  if (!PathIdSchema.safeParse(integrationId).success) return false;
  const { driver } = await getDatabase();
  return (await driver.query("SELECT 1 FROM integrations WHERE id = $1::uuid", [integrationId])).length > 0;
}
