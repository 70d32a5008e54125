import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SqlDriver } from "../../db/driver.ts";
import { bindNamed } from "../../db/named.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { CLAIM_SQL } from "../claim-sql.ts";
import { claimDue } from "../deliver.ts";
import { fairPick, slotCap, type DueSignal } from "../fair-share.ts";

// CLAIM_SQL applies the pure rule of fair-share.ts in one statement, for
// speed: on scenarios drawn at random (a fixed seed), it must claim exactly
// the signals fairPick picks from the same rows. And it must read each
// integration's queue through the due index, not the whole table, in the plan
// made for its values and in the one a prepared statement may keep for any.

let db: TestDatabase;
type Tx = Pick<SqlDriver, "query">;
class Rollback extends Error {}

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.dispose());

/** Runs `fn` in a transaction that is then rolled back, so each scenario starts from an empty queue. */
async function scenario(fn: (tx: Tx) => Promise<void>) {
  await db.driver
    .transaction(async (tx) => {
      await fn(tx);
      throw new Rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error;
    });
}

/** A deterministic draw in [0, 1) (a linear congruential generator), so a failing scenario can be replayed. */
function draws(seed: number) {
  let x = seed;
  return () => (x = (x * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

async function addIntegration(tx: Tx, vendor: string, enabled: boolean): Promise<string> {
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO integrations (name, vendor, endpoint, purposes, enabled) VALUES ($1, $1, 'https://hooks.example.com/x', '{}', $2) RETURNING id`,
    [vendor, enabled],
  );
  return row!.id;
}

type Shape = "due" | "future" | "leased" | "delivered";

async function addSignal(tx: Tx, integrationId: string, dueAt: Date, shape: Shape): Promise<string> {
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO integration_signals (integration_id, kind, payload, status, next_attempt_at, lease_until, leased_by)
     VALUES ($1, 'consent_change', '{}', $2::signal_status, $3, CASE WHEN $4 THEN now() + interval '1 minute' END, CASE WHEN $4 THEN 'other' END)
     RETURNING id`,
    [integrationId, shape === "delivered" ? "delivered" : "pending", dueAt.toISOString(), shape === "leased"],
  );
  return row!.id;
}

describe("the claim statement against the fair-share rule", () => {
  it("claims exactly what fairPick picks, on 40 random scenarios", async () => {
    const random = draws(16);
    const now = new Date();
    for (let run = 0; run < 40; run++) {
      await scenario(async (tx) => {
        const due: DueSignal[] = [];
        const held = new Map<string, number>();
        const concurrency = 1 + Math.floor(random() * 20);
        const cap = slotCap(concurrency);
        for (let n = 0; n < 5; n++) {
          // The last one is paused: none of its signals may be claimed.
          const enabled = n < 4;
          const integrationId = await addIntegration(tx, `fair_${run}_${n}`, enabled);
          if (random() < 0.6) held.set(integrationId, Math.floor(random() * (cap + 2)));
          const signals = Math.floor(random() * 14);
          for (let i = 0; i < signals; i++) {
            // Few distinct due times, so ties (broken by id) are common.
            const dueAt = new Date(now.getTime() - Math.floor(random() * 4) * 1000);
            const roll = random();
            const shape: Shape = roll < 0.7 ? "due" : roll < 0.8 ? "future" : roll < 0.9 ? "leased" : "delivered";
            const at = shape === "future" ? new Date(now.getTime() + 60_000) : dueAt;
            const id = await addSignal(tx, integrationId, at, shape);
            if (enabled && shape === "due") due.push({ id, integrationId, dueAt: at.getTime() });
          }
        }
        const free = 1 + Math.floor(random() * concurrency);

        const claimed = await claimDue({ driver: tx, workerId: "w", leaseMs: 60_000, clock: () => now }, free, { held, cap });

        const expected = fairPick(due, held, free, cap);
        expect(claimed.map((c) => c.id).sort(), `run ${run}: free ${free}, cap ${cap}, held ${JSON.stringify([...held.values()])}`).toEqual(
          [...expected].sort(),
        );
      });
    }
  });

  it("reads each enabled integration's queue through the due index, oldest due first", async () => {
    await scenario(async (tx) => {
      for (let n = 0; n < 4; n++) {
        const integrationId = await addIntegration(tx, `plan_${n}`, n < 3);
        await tx.query(
          `INSERT INTO integration_signals (integration_id, kind, payload, next_attempt_at)
           SELECT $1, 'consent_change', '{}', now() - n * interval '1 second' FROM generate_series(1, 5000) AS n`,
          [integrationId],
        );
      }
      await tx.query(`ANALYZE integration_signals`);
      const params = { limit: 16, cap: 12, held: "{}", lease_ms: 60_000, worker: "w", now: new Date().toISOString() };
      const values = bindNamed(CLAIM_SQL, params);
      const lines = (rows: { "QUERY PLAN": string }[]) => rows.map((r) => r["QUERY PLAN"]).join("\n");
      const custom = lines(await tx.query(`EXPLAIN ${CLAIM_SQL.text}`, values));
      // The worker runs it as a named prepared statement, which PostgreSQL may plan once for any :limit (a generic plan).
      await tx.query(`SET LOCAL plan_cache_mode = force_generic_plan`);
      await tx.query(`PREPARE fair_claim_plan AS ${CLAIM_SQL.text}`);
      const literals = values.map((v) => (typeof v === "number" ? String(v) : `'${String(v).replaceAll("'", "''")}'`));
      const generic = lines(await tx.query(`EXPLAIN EXECUTE fair_claim_plan(${literals.join(", ")})`));
      await tx.query(`DEALLOCATE fair_claim_plan`);
      // The planner knows how many rows each integration's scan may give (least(cap, limit)): with a limit it could not
      // see, it assumed a tenth of each queue, and on a large backlog the estimate sent every claim through JIT.
      expect(custom).toMatch(/Limit {2}\(cost=[\d.]+\.\.[\d.]+ rows=12 width=\d+\)\n\s*->\s+LockRows/);
      for (const [name, plan] of [
        ["custom", custom],
        ["generic", generic],
      ] as const) {
        expect(plan, name).toContain("integration_signals_due_by_integration_idx");
        expect(plan, name).not.toMatch(/Seq Scan on integration_signals/);
        // The index gives the order: the scan stops at the LIMIT, no sort of an integration's whole queue.
        expect(plan, name).toMatch(
          /Limit[^\n]*\n\s*->\s+LockRows[^\n]*\n\s*->\s+Index Scan using integration_signals_due_by_integration_idx/,
        );
      }
    });
  });
});
