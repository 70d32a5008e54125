import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { appendAudit } from "../append.ts";
import { auditChainHeads, verifyAuditChain } from "../verify.ts";
import { alice, customerId, storedEntries, type StoredEntry } from "./fixtures.ts";

let db: TestDatabase;
let entries: StoredEntry[];

/** An entry in the middle of a chain that has entries on both sides. */
function middleEntry(): StoredEntry {
  const counts = new Map<number, number>();
  for (const e of entries) counts.set(e.chain, (counts.get(e.chain) ?? 0) + 1);
  const found = entries.find((e) => e.chain_seq === "3" && (counts.get(e.chain) ?? 0) >= 5);
  if (!found) throw new Error("no chain long enough");
  return found;
}

const nextInChain = (e: StoredEntry) => entries.find((x) => x.chain === e.chain && x.chain_seq === String(Number(e.chain_seq) + 1))!;
const countBefore = (id: string) => entries.filter((e) => BigInt(e.id) < BigInt(id)).length;

beforeAll(async () => {
  db = await createTestDatabase();
  expect(await verifyAuditChain(db.prisma)).toEqual({ ok: true, entries: 0, chains: 0, lastId: null });
  for (let i = 0; i < 120; i++) {
    await appendAudit(
      {
        actor: alice,
        action: "consent.change",
        target: { type: "customer", id: customerId(i % 30) },
        summary: { n: i },
      },
      db.prisma,
    );
  }
  entries = await storedEntries(db.driver);
});

afterAll(async () => db?.dispose());

type Tx = Parameters<typeof verifyAuditChain>[0];
const ROLLBACK = new Error("rolled back: the tampering stays inside its test");

/**
 * Tampers as an attacker who owns the table would (the append-only trigger
 * off), lets `check` look at the result, then rolls it all back, so every
 * test starts from the same untouched log whatever ran before it.
 */
async function whileTampered(statements: string[], check: (tx: Tx) => Promise<void>) {
  try {
    await db.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_update_delete");
      for (const sql of statements) await tx.$executeRawUnsafe(sql);
      await tx.$executeRawUnsafe("ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_no_update_delete");
      await check(tx);
      throw ROLLBACK;
    });
  } catch (error) {
    if (error !== ROLLBACK) throw error;
  }
  expect(await storedEntries(db.driver)).toEqual(entries);
}

describe("verifyAuditChain", () => {
  it("passes an untouched log and counts its entries and chains", async () => {
    expect(await verifyAuditChain(db.prisma)).toEqual({ ok: true, entries: 120, chains: 8, lastId: entries.at(-1)!.id });
  });

  it("points at exactly the entry whose content was altered", async () => {
    const victim = middleEntry();
    await whileTampered([`UPDATE audit_entries SET summary = '{"n": -1}' WHERE id = ${victim.id}`], async (tx) => {
      expect(await verifyAuditChain(tx)).toEqual({
        ok: false,
        brokenAt: { id: victim.id, chain: victim.chain, chainSeq: "3", reason: "hash_mismatch" },
        verifiedEntries: countBefore(victim.id),
      });
    });
    expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: true });
  });

  it("catches an altered entry whose hash was recomputed at the next entry's link", async () => {
    const victim = middleEntry();
    const next = nextInChain(victim);
    await whileTampered(
      [
        `UPDATE audit_entries SET actor_label = 'mallory@staff.example' WHERE id = ${victim.id}`,
        `UPDATE audit_entries e SET hash = audit_entry_hash(e) WHERE id = ${victim.id}`,
      ],
      async (tx) => {
        expect(await verifyAuditChain(tx)).toEqual({
          ok: false,
          brokenAt: { id: next.id, chain: next.chain, chainSeq: next.chain_seq, reason: "prev_hash_mismatch" },
          verifiedEntries: countBefore(next.id),
        });
      },
    );
  });

  it("reports a sequence gap at the entry after a deleted one", async () => {
    const victim = middleEntry();
    const next = nextInChain(victim);
    await whileTampered([`DELETE FROM audit_entries WHERE id = ${victim.id}`], async (tx) => {
      expect(await verifyAuditChain(tx)).toEqual({
        ok: false,
        brokenAt: { id: next.id, chain: next.chain, chainSeq: next.chain_seq, reason: "sequence_gap" },
        verifiedEntries: countBefore(next.id) - 1,
      });
    });
  });

  it("cannot see the newest entries of a chain deleted: that needs the heads kept elsewhere", async () => {
    const heads = await auditChainHeads(db.prisma);
    expect(heads).toHaveLength(8);
    const head = heads[0]!;
    await whileTampered([`DELETE FROM audit_entries WHERE chain = ${head.chain} AND chain_seq = ${head.chainSeq}`], async (tx) => {
      // The shortened chain still verifies...
      expect(await verifyAuditChain(tx)).toMatchObject({ ok: true, entries: 119 });
      // ...and only the anchored head shows the truncated tail.
      expect((await auditChainHeads(tx)).find((h) => h.chain === head.chain)).toMatchObject({
        chainSeq: String(Number(head.chainSeq) - 1),
      });
    });
  });
});
