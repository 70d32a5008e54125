import "server-only";
import { getDatabase } from "../db/index.ts";
import { bindNamed, namedSql } from "../db/named.ts";
import { PathIdSchema } from "../validations/deliveries.ts";
import { maskedEndpoint } from "./endpoint-display.ts";
import { connectionOf, healthOf, successRate, type Connection, type HealthVerdict, type SignalCounts } from "./health.ts";

// The integrations pages' figures (issue 10, items 5 and 7), per integration:
// the outbox's counts by status, the last 24 hours of attempts (success rate,
// p95 latency), the last error, and the propagation lag — delivered_at minus
// created_at of consent-change signals, created in the consent change's own
// transaction — p50 and p95 over 24 hours and 7 days. Percentiles are
// computed in SQL (percentile_cont), never over rows fetched here.

export interface LagFigures {
  /** Consent-change signals delivered in the window. */
  count: number;
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface IntegrationStatus {
  id: string;
  name: string;
  vendor: string;
  /** With its query-string values masked unless the caller asked for it whole (revealEndpoint). */
  endpoint: string;
  purposes: string[];
  enabled: boolean;
  disabledReason: string | null;
  disabledAt: Date | null;
  connection: Connection;
  health: HealthVerdict;
  counts: SignalCounts;
  /** Attempts started in the last 24 hours. */
  last24h: { attempts: number; delivered: number; successRate: number | null; p95LatencyMs: number | null };
  /** The newest attempt that did not deliver. */
  lastError: { at: Date; statusCode: number | null; message: string | null } | null;
  lag: { last24h: LagFigures; last7d: LagFigures };
}

type Row = {
  id: string;
  name: string;
  vendor: string;
  endpoint: string;
  purposes: string[];
  enabled: boolean;
  disabled_reason: string | null;
  disabled_at: Date | null;
  pending: number;
  retrying: number;
  delivered: number;
  failed: number;
  attempts_24h: number;
  delivered_24h: number;
  p95_latency_ms: number | null;
  last_error_at: Date | null;
  last_error_status: number | null;
  last_error_message: string | null;
  lag_n_24h: number;
  lag_p50_24h: number | null;
  lag_p95_24h: number | null;
  lag_n_7d: number;
  lag_p50_7d: number | null;
  lag_p95_7d: number | null;
};

type Params = { now: string; id: string | null };

// Each lateral reads one integration's rows through an index:
// counts: integration_signals (integration_id, status, kind), index-only, tests left out;
// attempts: delivery_attempts (integration_id, started_at DESC), the window's range;
// last error: delivery_attempts_failures_idx, partial on outcome <> 'delivered';
// lag: integration_signals_delivered_consent_idx, partial on consent changes delivered.
// (Migration 20261203100000_delivery_status_indexes; EXPLAIN notes in its header.)
const STATUS = namedSql<Params>(`
  SELECT i.id::text AS id, i.name, i.vendor, i.endpoint, i.purposes, i.enabled, i.disabled_reason, i.disabled_at,
    c.pending, c.retrying, c.delivered, c.failed,
    a.attempts AS attempts_24h, a.delivered AS delivered_24h, a.p95 AS p95_latency_ms,
    e.started_at AS last_error_at, e.status_code AS last_error_status, e.error AS last_error_message,
    l.n_24h AS lag_n_24h, l.day[1] AS lag_p50_24h, l.day[2] AS lag_p95_24h,
    l.n_7d AS lag_n_7d, l.week[1] AS lag_p50_7d, l.week[2] AS lag_p95_7d
  FROM integrations i
  CROSS JOIN LATERAL (
    SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending,
           count(*) FILTER (WHERE status = 'retrying')::int AS retrying,
           count(*) FILTER (WHERE status = 'delivered')::int AS delivered,
           count(*) FILTER (WHERE status = 'failed')::int AS failed
    -- Test signals are final when recorded (delivered or failed) and not counted.
    FROM integration_signals WHERE integration_id = i.id AND kind <> 'test'
  ) c
  CROSS JOIN LATERAL (
    SELECT count(*)::int AS attempts, count(*) FILTER (WHERE outcome = 'delivered')::int AS delivered,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95
    FROM delivery_attempts
    WHERE integration_id = i.id AND started_at > :now::timestamptz - interval '24 hours' AND started_at <= :now::timestamptz
  ) a
  LEFT JOIN LATERAL (
    SELECT started_at, status_code, error FROM delivery_attempts
    WHERE integration_id = i.id AND outcome <> 'delivered' AND started_at <= :now::timestamptz
    ORDER BY started_at DESC LIMIT 1
  ) e ON true
  CROSS JOIN LATERAL (
    SELECT count(*) FILTER (WHERE in_day)::int AS n_24h, count(*)::int AS n_7d,
           -- One sort per window for both percentiles.
           percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY lag_ms) FILTER (WHERE in_day) AS day,
           percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY lag_ms) AS week
    FROM (
      SELECT (extract(epoch FROM delivered_at - created_at) * 1000)::float8 AS lag_ms,
             delivered_at > :now::timestamptz - interval '24 hours' AS in_day
      FROM integration_signals
      WHERE integration_id = i.id AND kind = 'consent_change' AND delivered_at IS NOT NULL
        AND delivered_at > :now::timestamptz - interval '7 days' AND delivered_at <= :now::timestamptz
    ) d
  ) l
  WHERE :id::uuid IS NULL OR i.id = :id::uuid
  ORDER BY i.name, i.vendor`);

const round = (v: number | null) => (v === null ? null : Math.round(v));

function toStatus(r: Row, revealEndpoint: boolean): IntegrationStatus {
  const counts = { pending: r.pending, retrying: r.retrying, delivered: r.delivered, failed: r.failed };
  return {
    id: r.id,
    name: r.name,
    vendor: r.vendor,
    endpoint: revealEndpoint ? r.endpoint : maskedEndpoint(r.endpoint),
    purposes: r.purposes,
    enabled: r.enabled,
    disabledReason: r.disabled_reason,
    disabledAt: r.disabled_at,
    connection: connectionOf({ enabled: r.enabled, disabledAt: r.disabled_at }),
    health: healthOf(counts),
    counts,
    last24h: {
      attempts: r.attempts_24h,
      delivered: r.delivered_24h,
      successRate: successRate(r.attempts_24h, r.delivered_24h),
      p95LatencyMs: round(r.p95_latency_ms),
    },
    lastError: r.last_error_at ? { at: r.last_error_at, statusCode: r.last_error_status, message: r.last_error_message } : null,
    lag: {
      last24h: { count: r.lag_n_24h, p50Ms: round(r.lag_p50_24h), p95Ms: round(r.lag_p95_24h) },
      last7d: { count: r.lag_n_7d, p50Ms: round(r.lag_p50_7d), p95Ms: round(r.lag_p95_7d) },
    },
  };
}

/**
 * `now` ends the windows (tests pass a fixed one). `revealEndpoint`: the
 * endpoint whole, for a reader who manages integrations
 * (endpoint-display.ts, seesFullEndpoint); by default its query values are masked.
 */
export type StatusOptions = { now?: Date; revealEndpoint?: boolean };

async function query({ now = new Date(), revealEndpoint = false }: StatusOptions, id: string | null): Promise<IntegrationStatus[]> {
  const { driver } = await getDatabase();
  const rows = await driver.query<Row>(STATUS.text, bindNamed(STATUS, { id, now: now.toISOString() }));
  return rows.map((row) => toStatus(row, revealEndpoint));
}

/** Every integration with its figures, by name. */
export async function listIntegrationStatuses(options: StatusOptions = {}): Promise<IntegrationStatus[]> {
  return query(options, null);
}

/** One integration's figures, or null for an id that is malformed or unknown. */
export async function getIntegrationStatus(id: string, options: StatusOptions = {}): Promise<IntegrationStatus | null> {
  if (!PathIdSchema.safeParse(id).success) return null;
  const [status] = await query(options, id);
  return status ?? null;
}
