import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { appendAudit, appendAuditEntries } from "../append.ts";
import { verifyAuditChain } from "../verify.ts";
import { alice, ciKey, customerId, retryWorker, storedEntries } from "./fixtures.ts";

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => db?.dispose());

const ZERO = "0".repeat(64);

describe("appendAudit", () => {
  it("chains entries: each one's prev_hash is the previous hash of its chain and the sequence counts up", async () => {
    const target = { type: "customer", id: customerId(1) };
    const a = await appendAudit(
      {
        actor: alice,
        action: "consent.change",
        target,
        summary: { before: { email_marketing: true }, after: { email_marketing: false } },
      },
      db.prisma,
    );
    const b = await appendAudit({ actor: ciKey, action: "consent.change", target }, db.prisma);
    const c = await appendAudit({ actor: alice, action: "customer.delete", target }, db.prisma);
    expect([a.chain, b.chain, c.chain]).toEqual([a.chain, a.chain, a.chain]);
    // Other tests here may have used this chain first: a continues from its head then.
    expect([b.chainSeq, c.chainSeq]).toEqual([a.chainSeq + 1n, a.chainSeq + 2n]);

    const rows = await db.driver.query<{ id: string; prev_hash: string; hash: string; recomputed: string }>(
      `SELECT id::text AS id, prev_hash, hash, audit_entry_hash(e) AS recomputed FROM audit_entries e
       WHERE chain = $1 AND chain_seq >= $2::bigint - 1 ORDER BY chain_seq`,
      [a.chain, String(a.chainSeq)],
    );
    const previous = a.chainSeq === 1n ? [] : [rows.shift()!];
    expect(rows.map((r) => r.prev_hash)).toEqual([previous[0]?.hash ?? ZERO, a.hash, b.hash]);
    expect(rows.map((r) => r.hash)).toEqual([a.hash, b.hash, c.hash]);
    for (const r of rows) expect(r.recomputed).toBe(r.hash);
  });

  it("stores who acted, from where, and the redacted summary", async () => {
    const appended = await appendAudit(
      {
        actor: ciKey,
        action: "consent.change",
        target: { type: "customer", id: customerId(2) },
        summary: {
          before: { email_marketing: true },
          after: { email_marketing: false },
          email: "ana@example.com",
          reason: "asked by phone",
        },
      },
      db.prisma,
    );
    const row = await db.prisma.auditEntry.findUniqueOrThrow({ where: { id: appended.id } });
    expect(row).toMatchObject({
      actorType: "api_key",
      actorId: ciKey.id,
      actorLabel: "CI import key",
      action: "consent.change",
      targetType: "customer",
      targetId: customerId(2),
      ip: "198.51.100.2",
      userAgent: "curl/8.0",
    });
    expect(row.summary).toEqual({ before: { email_marketing: true }, after: { email_marketing: false }, reason: "asked by phone" });
    expect(row.occurredAt.getTime()).toBe(appended.occurredAt.getTime());

    const system = await appendAudit({ actor: retryWorker, action: "delivery.retry", target: { type: "delivery", id: "d-1" } }, db.prisma);
    const sysRow = await db.prisma.auditEntry.findUniqueOrThrow({ where: { id: system.id } });
    expect(sysRow).toMatchObject({
      actorType: "system",
      actorId: "retry-worker",
      actorLabel: "Delivery retry worker",
      ip: null,
      userAgent: null,
    });
  });

  it("keeps outsider-typed text storable: NUL replaced, lengths capped", async () => {
    const appended = await appendAudit(
      {
        actor: { kind: "system", label: "sign-in", ip: "203.0.113.1", userAgent: "x".repeat(5_000) },
        action: "sign_in.failure",
        target: { type: "sign_in", id: "eve\u0000@example.com" },
        summary: { note: "a\u0000b", long: "y".repeat(3_000) },
      },
      db.prisma,
    );
    const row = await db.prisma.auditEntry.findUniqueOrThrow({ where: { id: appended.id } });
    expect(row.targetId).toBe("eve\uFFFD@example.com");
    expect(row.userAgent).toHaveLength(512);
    expect(row.summary).toEqual({ note: "a\uFFFDb", long: `${"y".repeat(1_999)}…` });
  });

  it("appends several entries in one statement, chain by chain, still gap-free", async () => {
    const targets = Array.from({ length: 12 }, (_, i) => ({ type: "customer", id: customerId(100 + i) }));
    const appended = await appendAuditEntries(
      [...targets, targets[0]!].map((target) => ({ actor: alice, action: "consent.change" as const, target })),
      db.prisma,
    );
    expect(appended).toHaveLength(13);
    const chains = appended.map((e) => e.chain);
    expect(chains).toEqual([...chains].sort((x, y) => x - y));
    expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: true });
  });

  it("leaves no entry and no gap when the surrounding transaction rolls back", async () => {
    const target = { type: "customer", id: customerId(1) };
    const last = await appendAudit({ actor: alice, action: "consent.change", target }, db.prisma);
    const before = await storedEntries(db.driver);
    await expect(
      db.prisma.$transaction(async (tx) => {
        await appendAudit({ actor: alice, action: "consent.change", target }, tx);
        throw new Error("the consent change failed");
      }),
    ).rejects.toThrow("the consent change failed");
    expect(await storedEntries(db.driver)).toEqual(before);

    // The chain lock went with the rollback and the next entry takes the next number.
    const next = await appendAudit({ actor: alice, action: "consent.change", target }, db.prisma);
    expect(next.chain).toBe(last.chain);
    expect(next.chainSeq).toBe(last.chainSeq + 1n);
    expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: true });
  });
});

describe("audit_entries is append-only", () => {
  /** Each test appends the entries it tries to change, so a statement always has rows to refuse. */
  const own = () =>
    appendAuditEntries(
      [
        { actor: alice, action: "consent.change", target: { type: "customer", id: customerId(700) } },
        { actor: ciKey, action: "consent.change", target: { type: "customer", id: customerId(701) } },
      ],
      db.prisma,
    );

  it("gives every chain's first entry the all-zero previous hash", async () => {
    await own();
    const firsts = await db.driver.query<{ prev_hash: string }>(`SELECT prev_hash FROM audit_entries WHERE chain_seq = 1`);
    expect(firsts.length).toBeGreaterThan(0);
    expect(firsts.map((f) => f.prev_hash)).toEqual(firsts.map(() => ZERO));
  });

  it.each([
    ["UPDATE", "UPDATE audit_entries SET summary = '{}'"],
    ["UPDATE of one row", "UPDATE audit_entries SET action = 'sign_out' WHERE id = (SELECT min(id) FROM audit_entries)"],
    ["DELETE", "DELETE FROM audit_entries WHERE id = (SELECT max(id) FROM audit_entries)"],
    ["TRUNCATE", "TRUNCATE audit_entries"],
  ])("rejects %s", async (_, sql) => {
    await own();
    const before = await storedEntries(db.driver);
    expect(before.length).toBeGreaterThan(0);
    await expect(db.driver.exec(sql)).rejects.toThrow(/append-only/);
    expect(await storedEntries(db.driver)).toEqual(before);
  });

  it("rejects changes made through Prisma too", async () => {
    const [mine] = await own();
    const first = await db.prisma.auditEntry.findUniqueOrThrow({ where: { id: BigInt(mine!.id) } });
    await expect(db.prisma.auditEntry.update({ where: { id: first.id }, data: { action: "sign_out" } })).rejects.toThrow(/append-only/);
    await expect(db.prisma.auditEntry.deleteMany({})).rejects.toThrow(/append-only/);
    expect(await db.prisma.auditEntry.findUniqueOrThrow({ where: { id: first.id } })).toEqual(first);
  });
});
