import { auditInsertSql } from "../audit/append.ts";
import { namedSql } from "../db/named.ts";

// The delivery worker's statements (lib/delivery/worker.ts), the outbox loop
// measured in ../shared/STACK.md. Two clocks, on purpose: a signal is due by
// the worker's clock (`:now`, which the tests control), while a lease is
// timed by the database's now(), the one clock every worker shares, because
// a lease ending early is what would send one attempt twice at once.

/** A claimed signal with what sending it needs. */
export interface ClaimedRow {
  id: string;
  integration_id: string;
  kind: "consent_change" | "delete" | "test";
  payload: unknown;
  created_at: Date;
  /** The claim's number: attempts after this claim. */
  attempts: number;
  attempt_base: number;
  endpoint: string;
  signing_secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
}

/**
 * Claims up to :limit due signals of enabled integrations, shared among them
 * by the rule in fair-share.ts (fairPick): each integration's oldest due
 * signals get the slot numbers they would take beside what this worker
 * already holds of it (:held, a JSON object of counts by integration id), at
 * most :cap; the lowest slot numbers are claimed first, the older due first
 * among equals. Each integration's candidates are read from the due index on
 * (integration_id, next_attempt_at, id), at most as many as one claim could
 * give it, and locked as they are read (SKIP LOCKED: rows another worker is claiming
 * are passed over); candidates a claim does not take stay locked only until
 * its statement commits. The claim counts as an attempt (attempts + 1) and
 * leases the row to :worker for :lease_ms; a worker that dies leaves the lease
 * to run out.
 */
export const CLAIM_SQL = namedSql<{ limit: number; cap: number; held: string; lease_ms: number; worker: string; now: string }>(`
  WITH candidate AS (
    SELECT c.id, c.slot, c.next_attempt_at
    FROM integrations i
    CROSS JOIN LATERAL (SELECT coalesce((:held::jsonb ->> i.id::text)::int, 0) AS n) h
    CROSS JOIN LATERAL (
      SELECT d.id, d.next_attempt_at, h.n + row_number() OVER (ORDER BY d.next_attempt_at, d.id) AS slot
      FROM (
        SELECT s.id, s.next_attempt_at FROM integration_signals s
        WHERE s.integration_id = i.id AND s.status IN ('pending', 'retrying') AND s.next_attempt_at <= :now::timestamptz
          AND (s.lease_until IS NULL OR s.lease_until < now())
        ORDER BY s.next_attempt_at, s.id
        -- Not :cap - h.n: a limit that depends on the row makes the planner assume a tenth of the queue
        -- per integration, and on a large backlog its cost estimate crossed jit_above_cost: JIT compiled the
        -- statement on every claim (20-400 ms). The slots past the cap are left out below instead.
        LIMIT least(:cap::int, :limit::int)
        FOR UPDATE OF s SKIP LOCKED
      ) d
    ) c
    WHERE i.enabled AND h.n < :cap::int AND c.slot <= :cap::int
  )
  UPDATE integration_signals s
  SET lease_until = now() + :lease_ms * interval '1 ms', leased_by = :worker, attempts = s.attempts + 1
  FROM integrations i
  -- An array, not a join: a prepared statement's generic plan cannot see :limit and would expect thousands of
  -- rows, and hash-join them against a scan of the whole table (80 ms on 200,000 signals instead of 1 ms).
  WHERE s.id = ANY (ARRAY(SELECT id FROM candidate ORDER BY slot, next_attempt_at, id LIMIT :limit::int))
    AND i.id = s.integration_id
  RETURNING s.id, s.integration_id, s.kind, s.payload, s.created_at, s.attempts, s.attempt_base,
            i.endpoint, i.signing_secret, i.previous_secret, i.previous_secret_expires_at`);

/** One finished attempt, as FINISH_SQL takes it (a row of its :rows). */
export interface FinishParams {
  id: string;
  /** The claim's number (attempts after the claim). */
  attempts: number;
  worker: string;
  /** The signal's status after this attempt. */
  status: "delivered" | "retrying" | "failed";
  /** When the next attempt is due (a retry); null keeps it. */
  next_attempt_at: string | null;
  started_at: string;
  finished_at: string;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
  receiver_ref: string | null;
  outcome: "delivered" | "retry" | "failed" | "disabled";
}

/**
 * Records finished attempts, several per statement (the worker gathers the
 * ones that end together, so a busy worker commits once per handful rather
 * than once per signal). For each: the attempt row, and, only while the
 * claim is still this worker's (same id, attempts and leased_by), its outcome
 * on the signal with the lease ended. The attempt row is written either way
 * (the request was sent; a lost claim is rare, the lease outlasting the
 * request timeout), unless the signal is gone. One statement, so each
 * signal's two writes commit together. Answers, per id, whether its claim held.
 */
export const FINISH_SQL = namedSql<{ rows: string }>(`
  WITH input AS (
    SELECT * FROM jsonb_to_recordset(:rows::jsonb) AS r(
      id uuid, attempts int, worker text, status signal_status, next_attempt_at timestamptz, started_at timestamptz,
      finished_at timestamptz, status_code int, latency_ms int, error text, receiver_ref text, outcome text)
  ), up AS (
    UPDATE integration_signals s
    SET status = r.status,
        next_attempt_at = coalesce(r.next_attempt_at, s.next_attempt_at),
        delivered_at = CASE WHEN r.status = 'delivered' THEN r.finished_at ELSE s.delivered_at END,
        receiver_ref = CASE WHEN r.status = 'delivered' THEN r.receiver_ref ELSE s.receiver_ref END,
        failed_at = CASE WHEN r.status = 'failed' THEN r.finished_at END,
        last_attempt_at = r.started_at,
        last_status_code = r.status_code,
        last_error = r.error,
        lease_until = NULL,
        leased_by = NULL
    FROM input r
    WHERE s.id = r.id AND s.attempts = r.attempts AND s.leased_by = r.worker
    RETURNING s.id
  ), logged AS (
    INSERT INTO delivery_attempts (signal_id, integration_id, attempt, started_at, status_code, latency_ms, error, receiver_ref, outcome, worker)
    SELECT s.id, s.integration_id, r.attempts, r.started_at, r.status_code, r.latency_ms, r.error, r.receiver_ref, r.outcome, r.worker
    FROM input r JOIN integration_signals s ON s.id = r.id
  )
  SELECT r.id::text AS id, EXISTS (SELECT 1 FROM up WHERE up.id = r.id) AS held FROM input r`);

/**
 * A 410 Gone: the integration is disabled (its queue stops: the claim skips
 * disabled integrations) with an audit entry by the worker, only the first
 * time (several in-flight 410s disable once). Run after FINISH_SQL (that attempt
 * alone) in the same transaction, as its last statement (the audit entry's rule).
 */
export const DISABLE_SQL = namedSql<{ integration_id: string; reason: string; at: string; audit: string }>(`
  WITH off AS (
    UPDATE integrations SET enabled = false, disabled_reason = :reason, disabled_at = :at::timestamptz, updated_at = now()
    WHERE id = :integration_id::uuid AND enabled
    RETURNING id
  ), entry AS (${auditInsertSql({ param: ":audit", when: "EXISTS (SELECT 1 FROM off)" })}
    RETURNING id
  )
  SELECT (SELECT count(*) FROM off)::int AS disabled`);

/**
 * When the next signal of an enabled integration falls due, by the worker's
 * clock; no row: nothing queued. Leased rows are left out (their worker has
 * them); a dead worker's lease running out is found by the poll. Reads each
 * enabled integration's oldest entry in the due index.
 */
export const NEXT_DUE_SQL = namedSql<Record<string, never>>(`
  SELECT n.at FROM integrations i
  CROSS JOIN LATERAL (
    SELECT s.next_attempt_at AS at FROM integration_signals s
    WHERE s.integration_id = i.id AND s.status IN ('pending', 'retrying') AND (s.lease_until IS NULL OR s.lease_until < now())
    ORDER BY s.next_attempt_at, s.id
    LIMIT 1
  ) n
  WHERE i.enabled
  ORDER BY n.at
  LIMIT 1`);
