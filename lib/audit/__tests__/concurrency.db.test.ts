import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type Database } from "../../db/client.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../../testing/test-database.ts";
import { appendAudit, appendAuditEntries } from "../append.ts";
import { verifyAuditChain } from "../verify.ts";
import { alice, ciKey, customerId } from "./fixtures.ts";

// PGlite is one connection in one process: there is nothing concurrent to test there.
const onServer = testDatabaseKind() === "postgres";

const WORKERS = 8;
const TRANSACTIONS = 50;

let db: TestDatabase;
let wide: Database;

beforeAll(async () => {
  if (!onServer) return;
  db = await createTestDatabase();
  // A pool as wide as the workers, so every transaction really runs at once.
  wide = createDatabase(db.config, { poolSize: WORKERS });
});

afterAll(async () => {
  await wide?.prisma.$disconnect();
  await wide?.driver.close().catch(() => {});
  await db?.dispose();
});

describe.runIf(onServer)("concurrent appends on PostgreSQL", () => {
  it(`keeps every chain gap-free across ${WORKERS} connections × ${TRANSACTIONS} transactions`, async () => {
    // Relative to what is already there: the other tests here may have run first.
    const existing = Number((await db.driver.query<{ n: string }>("SELECT count(*)::text AS n FROM audit_entries"))[0]!.n);
    let committed = 0;
    const worker = async (w: number) => {
      for (let t = 0; t < TRANSACTIONS; t++) {
        const target = { type: "customer", id: customerId((w * 7 + t) % 24) };
        const rollBack = t % 9 === 4;
        // Some transactions need two entries on different chains: the case
        // that would deadlock if two callers took chain locks in opposite orders.
        const many = t % 5 === 0;
        try {
          await wide.prisma.$transaction(async (tx) => {
            await tx.$executeRaw`SELECT pg_sleep(random() * 0.002)`;
            if (many) {
              await appendAuditEntries(
                [
                  { actor: alice, action: "consent.change", target: { type: "customer", id: customerId(23 - (t % 24)) } },
                  { actor: ciKey, action: "consent.change", target },
                ],
                tx,
              );
            } else {
              await appendAudit({ actor: w % 2 ? alice : ciKey, action: "consent.change", target, summary: { w, t } }, tx);
            }
            if (rollBack) throw new Error("rolled back on purpose");
          });
          committed += many ? 2 : 1;
        } catch (error) {
          if (!rollBack) throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));

    const chains = await db.driver.query<{ chain: number; n: string; max_seq: string; min_seq: string }>(
      "SELECT chain::int AS chain, count(*)::text AS n, max(chain_seq)::text AS max_seq, min(chain_seq)::text AS min_seq FROM audit_entries GROUP BY chain",
    );
    expect(committed).toBeGreaterThan(0);
    expect(chains.length).toBeGreaterThan(0);
    for (const c of chains) expect({ chain: c.chain, min: c.min_seq, max: c.max_seq }).toEqual({ chain: c.chain, min: "1", max: c.n });
    expect(chains.reduce((sum, c) => sum + Number(c.n), 0)).toBe(existing + committed);
    expect(await verifyAuditChain(db.prisma)).toEqual({
      ok: true,
      entries: existing + committed,
      chains: chains.length,
      lastId: expect.any(String),
    });
  });

  it("lets two transactions append to the same two chains in opposite orders (batched, so locks go in chain order)", async () => {
    // Two targets known to sit on different chains.
    const probe = await appendAuditEntries(
      Array.from({ length: 8 }, (_, i) => ({
        actor: alice,
        action: "consent.change" as const,
        target: { type: "customer", id: customerId(500 + i) },
      })),
      db.prisma,
    );
    const x = probe[0]!;
    const y = probe.find((e) => e.chain !== x.chain)!;
    const idOf = (e: typeof x) => customerId(500 + probe.indexOf(e));
    const entry = (id: string) => ({ actor: alice, action: "consent.change" as const, target: { type: "customer", id } });
    const run = (first: string, second: string) =>
      wide.prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_sleep(0.05)`;
        return appendAuditEntries([entry(first), entry(second)], tx);
      });
    const results = await Promise.allSettled([run(idOf(x), idOf(y)), run(idOf(y), idOf(x))]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
    expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: true });
  });

  it("refuses, rather than forks the chain, an append from a REPEATABLE READ snapshot that missed a newer entry", async () => {
    const target = { type: "customer", id: customerId(900) };
    await appendAudit({ actor: alice, action: "consent.change", target }, db.prisma);
    let release!: () => void;
    const snapshotTaken = new Promise<void>((resolve) => (release = resolve));
    let proceed!: () => void;
    const otherCommitted = new Promise<void>((resolve) => (proceed = resolve));
    const stale = wide.prisma.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT count(*) FROM audit_entries`; // the snapshot is taken here
        release();
        await otherCommitted;
        return appendAudit({ actor: alice, action: "consent.change", target }, tx);
      },
      { isolationLevel: "RepeatableRead" },
    );
    await snapshotTaken;
    await appendAudit({ actor: ciKey, action: "consent.change", target }, wide.prisma);
    proceed();
    await expect(stale).rejects.toThrow(/audit_entries_chain_chain_seq_key|unique/i);
    expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: true });
  });
});
