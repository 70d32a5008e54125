import "server-only";
import { auditEntriesParam, type SystemActor } from "../audit/append.ts";
import type { SqlDriver } from "../db/driver.ts";
import { bindNamed } from "../db/named.ts";
import { DISABLE_SQL, FINISH_SQL, type FinishParams } from "./claim-sql.ts";

// Writes finished attempts (FINISH_SQL). The attempts that end while a write
// is under way are gathered into the next one, so a busy worker commits once
// per handful of signals instead of once per signal, and an idle one writes
// each at once (the next turn of the event loop).

export interface Recorder {
  /** Records one attempt; answers whether the worker's claim still held (its outcome then applied). */
  record(finish: FinishParams): Promise<boolean>;
  /** A 410: the attempt and the integration's disabling with its audit entry, in one transaction of their own. */
  recordDisabling(
    finish: FinishParams,
    integration: { integrationId: string; reason: string },
  ): Promise<{ held: boolean; disabled: boolean }>;
}

/** Attempts per statement at most. */
const MAX_BATCH = 64;
/** Statements under way at once (each holds a pooled connection). */
const MAX_WRITES = 2;

type Waiting = { finish: FinishParams; resolve: (held: boolean) => void; reject: (error: unknown) => void };

async function finishRows(db: Pick<SqlDriver, "query">, rows: readonly FinishParams[]): Promise<Map<string, boolean>> {
  const answer = await db.query<{ id: string; held: boolean }>(FINISH_SQL.text, bindNamed(FINISH_SQL, { rows: JSON.stringify(rows) }), {
    name: "delivery_finish",
  });
  return new Map(answer.map((r) => [r.id, r.held]));
}

export function createRecorder(driver: SqlDriver, workerId: string): Recorder {
  const queue: Waiting[] = [];
  let writing = 0;
  let scheduled = false;

  const schedule = () => {
    if (scheduled || writing >= MAX_WRITES || queue.length === 0) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      void write();
    });
  };

  async function write() {
    if (writing >= MAX_WRITES || queue.length === 0) return;
    const batch = queue.splice(0, MAX_BATCH);
    writing += 1;
    schedule();
    try {
      let held: Map<string, boolean>;
      try {
        held = await finishRows(
          driver,
          batch.map((w) => w.finish),
        );
      } catch {
        // Once more (a dropped connection, a deadlock with a worker that took over a lapsed claim); then the leases run out instead.
        held = await finishRows(
          driver,
          batch.map((w) => w.finish),
        );
      }
      for (const waiting of batch) waiting.resolve(held.get(waiting.finish.id) ?? false);
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    } finally {
      writing -= 1;
      schedule();
    }
  }

  return {
    record(finish) {
      return new Promise<boolean>((resolve, reject) => {
        queue.push({ finish, resolve, reject });
        schedule();
      });
    },
    async recordDisabling(finish, { integrationId, reason }) {
      return driver.transaction(async (tx) => {
        const held = (await finishRows(tx, [finish])).get(finish.id) ?? false;
        const actor: SystemActor = { kind: "system", id: workerId, label: "delivery worker" };
        const audit = auditEntriesParam([
          {
            actor,
            action: "integration.disable",
            target: { type: "integration", id: integrationId },
            summary: { reason, status_code: finish.status_code, signal_id: finish.id },
          },
        ]);
        const params = { integration_id: integrationId, reason, at: finish.finished_at, audit };
        const [row] = await tx.query<{ disabled: number }>(DISABLE_SQL.text, bindNamed(DISABLE_SQL, params));
        return { held, disabled: (row?.disabled ?? 0) > 0 };
      });
    },
  };
}
