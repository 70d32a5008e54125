import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { appendAudit } from "../append.ts";
import { auditChainHeads, verifyAuditChain } from "../verify.ts";
import { alice, customerId, storedEntries, tamper, type StoredEntry } from "./fixtures.ts";

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

describe("verifyAuditChain", () => {
  it("passes an untouched log and counts its entries and chains", async () => {
    expect(await verifyAuditChain(db.prisma)).toEqual({ ok: true, entries: 120, chains: 8, lastId: entries.at(-1)!.id });
  });

  it("points at exactly the entry whose content was altered", async () => {
    const victim = middleEntry();
    const [original] = await db.driver.query<{ summary: string }>(
      `SELECT summary::text AS summary FROM audit_entries WHERE id = ${victim.id}`,
    );
    await tamper(db.driver, `UPDATE audit_entries SET summary = '{"n": -1}' WHERE id = ${victim.id}`);
    try {
      expect(await verifyAuditChain(db.prisma)).toEqual({
        ok: false,
        brokenAt: { id: victim.id, chain: victim.chain, chainSeq: "3", reason: "hash_mismatch" },
        verifiedEntries: countBefore(victim.id),
      });
    } finally {
      await tamper(db.driver, `UPDATE audit_entries SET summary = '${original!.summary}' WHERE id = ${victim.id}`);
    }
    expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: true });
  });

  it("catches an altered entry whose hash was recomputed at the next entry's link", async () => {
    const victim = middleEntry();
    const original = await db.driver.query<{ actor_label: string }>(`SELECT actor_label FROM audit_entries WHERE id = ${victim.id}`);
    await tamper(
      db.driver,
      `UPDATE audit_entries SET actor_label = 'mallory@staff.example' WHERE id = ${victim.id};
      UPDATE audit_entries e SET hash = audit_entry_hash(e) WHERE id = ${victim.id}`,
    );
    try {
      const next = nextInChain(victim);
      expect(await verifyAuditChain(db.prisma)).toEqual({
        ok: false,
        brokenAt: { id: next.id, chain: next.chain, chainSeq: next.chain_seq, reason: "prev_hash_mismatch" },
        verifiedEntries: countBefore(next.id),
      });
    } finally {
      await tamper(
        db.driver,
        `UPDATE audit_entries SET actor_label = '${original[0]!.actor_label}', hash = '${victim.hash}' WHERE id = ${victim.id}`,
      );
    }
    expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: true });
  });

  it("reports a sequence gap at the entry after a deleted one", async () => {
    const victim = middleEntry();
    const next = nextInChain(victim);
    await tamper(db.driver, `DELETE FROM audit_entries WHERE id = ${victim.id}`);
    expect(await verifyAuditChain(db.prisma)).toEqual({
      ok: false,
      brokenAt: { id: next.id, chain: next.chain, chainSeq: next.chain_seq, reason: "sequence_gap" },
      verifiedEntries: countBefore(next.id) - 1,
    });
  });

  it("cannot see the newest entries of a chain deleted: that needs the heads kept elsewhere", async () => {
    const heads = await auditChainHeads(db.prisma);
    expect(heads).toHaveLength(8);
    const head = heads[0]!;
    await tamper(db.driver, `DELETE FROM audit_entries WHERE chain = ${head.chain} AND chain_seq = ${head.chainSeq}`);
    const after = await auditChainHeads(db.prisma);
    // The chain still verifies up to the break made by the previous test...
    expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: false, brokenAt: { reason: "sequence_gap" } });
    // ...and only the anchored head shows the truncated tail.
    expect(after.find((h) => h.chain === head.chain)).toMatchObject({ chainSeq: String(Number(head.chainSeq) - 1) });
  });
});
