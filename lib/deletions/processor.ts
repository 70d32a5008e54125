import "server-only";
import { randomBytes } from "node:crypto";
import os from "node:os";
import type { SystemActor } from "../audit/append.ts";
import type { Database } from "../db/client.ts";
import { bindNamed, namedSql } from "../db/named.ts";
import { ROW_MESSAGES } from "./bulk.ts";
import type { RowOutcome } from "./bulk-labels.ts";
import { eraseReceivedRequest, type ReceivedErasureOutcome } from "./erase.ts";
import { onDeletionBatchQueued } from "./processor-wake.ts";

// The bulk deletion processor: the delivery worker's outbox loop (../shared/STACK.md,
// lib/delivery/claim-sql.ts) over deletion_batches. It claims one queued
// batch at a time with FOR UPDATE SKIP LOCKED and a lease, erases each of its
// received requests in its own transaction (eraseReceivedRequest), the
// request's rows getting their outcome in that same transaction, renews the
// lease and the batch's processed_rows after every chunk, and marks the batch
// done. A processor that dies leaves its lease to run out; another then
// claims the batch and goes on with the rows that have no outcome yet, so no
// customer is erased twice and no row is done twice. It runs wherever the
// delivery worker runs (instrumentation.ts inline, scripts/worker.ts).

export const CLAIM_BATCH_SQL = namedSql<{ lease_ms: number; worker: string }>(`
  WITH next AS (
    SELECT id FROM deletion_batches
    WHERE status = 'queued' OR (status = 'processing' AND (lease_until IS NULL OR lease_until < now()))
    ORDER BY created_at, id
    LIMIT 1
    FOR UPDATE SKIP LOCKED
  )
  UPDATE deletion_batches b
  SET status = 'processing', lease_until = now() + :lease_ms * interval '1 ms', leased_by = :worker, started_at = coalesce(b.started_at, now())
  FROM next WHERE b.id = next.id
  RETURNING b.id`);

/** Progress and the lease, renewed together; no row: the lease is no longer this processor's. */
const RENEW_SQL = namedSql<{ id: string; worker: string; lease_ms: number }>(`
  UPDATE deletion_batches
  SET processed_rows = (SELECT count(*) FROM deletion_batch_rows WHERE batch_id = :id::uuid AND outcome IS NOT NULL),
      lease_until = now() + :lease_ms * interval '1 ms'
  WHERE id = :id::uuid AND leased_by = :worker AND status = 'processing'
  RETURNING 1`);

/** The next requests to erase, each once (a customer listed twice is one request), in the file's order. */
const PENDING_SQL = namedSql<{ id: string; limit: number }>(`
  SELECT request_id, min(row_no) AS first_row FROM deletion_batch_rows
  WHERE batch_id = :id::uuid AND outcome IS NULL AND request_id IS NOT NULL
  GROUP BY request_id ORDER BY first_row LIMIT :limit`);

const FINISH_SQL = namedSql<{ id: string; worker: string; message: string }>(`
  WITH orphans AS (
    UPDATE deletion_batch_rows SET outcome = 'not_found', message = :message
    WHERE batch_id = :id::uuid AND outcome IS NULL AND request_id IS NULL RETURNING 1
  )
  UPDATE deletion_batches
  SET status = 'done', finished_at = now(), lease_until = NULL, leased_by = NULL,
      processed_rows = (SELECT count(*) FROM deletion_batch_rows WHERE batch_id = :id::uuid AND outcome IS NOT NULL) + (SELECT count(*) FROM orphans)
  WHERE id = :id::uuid AND leased_by = :worker AND status = 'processing'
  RETURNING 1`);

/**
 * The request's rows in this batch, while the lease is still this processor's: the first gets the request's
 * outcome, any later one (the same customer again) already_erased. `held` false: the lease is gone, write nothing.
 */
const ROWS_SQL = namedSql<{
  id: string;
  worker: string;
  request_id: string;
  first_row: number;
  outcome: RowOutcome;
  message: string | null;
}>(`
  WITH lease AS (
    SELECT 1 FROM deletion_batches WHERE id = :id::uuid AND leased_by = :worker AND status = 'processing' AND lease_until > now()
  ), up AS (
    UPDATE deletion_batch_rows
    SET outcome = CASE WHEN row_no = :first_row THEN :outcome::deletion_row_outcome ELSE 'already_erased' END,
        message = CASE WHEN row_no = :first_row THEN coalesce(:message, message) ELSE message END
    WHERE batch_id = :id::uuid AND request_id = :request_id::uuid AND outcome IS NULL AND EXISTS (SELECT 1 FROM lease)
  )
  SELECT EXISTS (SELECT 1 FROM lease) AS held`);

const ROW_OUTCOME: Record<ReceivedErasureOutcome, { outcome: RowOutcome; message: string | null }> = {
  erased: { outcome: "erased", message: null },
  already_erased: { outcome: "already_erased", message: ROW_MESSAGES.alreadyErased },
  missing: { outcome: "not_found", message: ROW_MESSAGES.withdrawn },
};

class LostLeaseError extends Error {
  constructor() {
    super("the batch's lease is no longer this processor's");
    this.name = "LostLeaseError";
  }
}

export interface DeletionProcessorOptions {
  database: Pick<Database, "config" | "driver">;
  /** Names this processor in leases; default host:pid:random. */
  workerId?: string;
  /** How long a claim is held without renewal (default 30 s); renewed after every chunk. */
  leaseMs?: number;
  /** The backstop poll when nothing wakes it (default 1 s). */
  pollMs?: number;
  /** Erasures in flight at once (default 4 on PostgreSQL, 1 on PGlite, which has one connection). */
  concurrency?: number;
  /** Requests taken per chunk, between renewals (default 100). */
  chunk?: number;
  log?: (line: string) => void;
  /** Called after each request's transaction commits (tests stop a processor mid-batch from here). */
  onErased?: (requestId: string, outcome: ReceivedErasureOutcome) => void;
}

export interface DeletionProcessor {
  readonly id: string;
  start(): void;
  /** Stops claiming, lets the erasures in flight finish, and hands the batch back (its lease ends now). */
  stop(): Promise<void>;
  wake(): void;
  /** Without the loop: processes every queued batch, one after another, until none is left. Answers how many it finished. */
  runOnce(): Promise<number>;
}

export function createDeletionProcessor(options: DeletionProcessorOptions): DeletionProcessor {
  const id = options.workerId ?? `${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const driver = options.database.driver;
  const leaseMs = options.leaseMs ?? 30_000;
  const pollMs = options.pollMs ?? 1_000;
  const concurrency = options.concurrency ?? (driver.kind === "pglite" ? 1 : 4);
  const chunk = options.chunk ?? 100;
  const log = options.log ?? ((line: string) => console.log(line));
  const actor: SystemActor = { kind: "system", id, label: "Bulk deletion processor" };

  let running = false;
  let stopping = false;
  let loopDone: Promise<void> = Promise.resolve();
  let woken = false;
  let interrupt: (() => void) | null = null;
  let unsubscribe: (() => void) | null = null;

  const wake = () => {
    woken = true;
    interrupt?.();
  };
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken || !running) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        interrupt = null;
        resolve();
      }
      interrupt = done;
    });

  const query = <P extends object>(statement: { text: string; names: ReadonlyArray<keyof P & string> }, params: P) =>
    driver.query(statement.text, bindNamed(statement as Parameters<typeof bindNamed<P>>[0], params));

  async function eraseOne(batchId: string, requestId: string, firstRow: number): Promise<void> {
    const { outcome } = await eraseReceivedRequest(
      requestId,
      {
        actor,
        before: async (tx, what) => {
          const row = ROW_OUTCOME[what];
          const [lease] = await tx.query<{ held: boolean }>(
            ROWS_SQL.text,
            bindNamed(ROWS_SQL, {
              id: batchId,
              worker: id,
              request_id: requestId,
              first_row: firstRow,
              outcome: row.outcome,
              message: row.message,
            }),
          );
          // A lease that ran out may be another processor's now: stop before erasing (that one finds the rows done, or does them).
          if (!lease?.held) throw new LostLeaseError();
        },
      },
      options.database as Database,
    );
    options.onErased?.(requestId, outcome);
  }

  /** Works a claimed batch to its end; false when it stopped first (stop, lost lease, or an error: the lease then runs out). */
  async function processBatch(batchId: string): Promise<boolean> {
    for (;;) {
      if (stopping) return false;
      if ((await query(RENEW_SQL, { id: batchId, worker: id, lease_ms: leaseMs })).length === 0) throw new LostLeaseError();
      const pending = await driver.query<{ request_id: string; first_row: number }>(
        PENDING_SQL.text,
        bindNamed(PENDING_SQL, { id: batchId, limit: chunk }),
      );
      if (pending.length === 0) {
        await query(FINISH_SQL, { id: batchId, worker: id, message: ROW_MESSAGES.withdrawn });
        return true;
      }
      let next = 0;
      let failed = false;
      const lane = async () => {
        while (next < pending.length && !stopping && !failed) {
          const item = pending[next++]!;
          try {
            await eraseOne(batchId, item.request_id, Number(item.first_row));
          } catch (error) {
            failed = true;
            throw error;
          }
        }
      };
      // Every lane ends before the chunk does, a failed one stopping the others: nothing runs on after the batch is given up.
      const lanes = await Promise.allSettled(Array.from({ length: Math.min(concurrency, pending.length) }, lane));
      const rejected = lanes.find((l): l is PromiseRejectedResult => l.status === "rejected");
      if (rejected) throw rejected.reason;
    }
  }

  /** Claims and works batches until none is queued; answers how many it finished. */
  async function drain(): Promise<number> {
    let finished = 0;
    while (!stopping) {
      const [claimed] = await driver.query<{ id: string }>(
        CLAIM_BATCH_SQL.text,
        bindNamed(CLAIM_BATCH_SQL, { lease_ms: leaseMs, worker: id }),
      );
      if (!claimed) return finished;
      try {
        if (await processBatch(claimed.id)) finished++;
        else if (stopping) {
          // Handed back: another processor (or this one, started again) takes it up at once.
          await driver.query(`UPDATE deletion_batches SET lease_until = NULL, leased_by = NULL WHERE id = $1 AND leased_by = $2`, [
            claimed.id,
            id,
          ]);
        }
      } catch (error) {
        log(`deletions: batch ${claimed.id}: ${error instanceof Error ? error.message : String(error)}; its lease will run out`);
        return finished;
      }
    }
    return finished;
  }

  async function loop() {
    let failures = 0;
    while (running) {
      woken = false;
      try {
        await drain();
        failures = 0;
        await pause(pollMs);
      } catch (error) {
        failures += 1;
        const backoff = Math.min(30_000, 250 * 2 ** failures);
        log(`deletions: ${error instanceof Error ? error.message : String(error)}; trying again in ${backoff} ms`);
        await pause(backoff);
      }
    }
  }

  return {
    id,
    wake,
    start() {
      if (running) return;
      running = true;
      stopping = false;
      unsubscribe = onDeletionBatchQueued(wake);
      loopDone = loop();
    },
    async stop() {
      if (!running) return;
      running = false;
      stopping = true;
      unsubscribe?.();
      interrupt?.();
      await loopDone;
    },
    runOnce: () => drain(),
  };
}
