import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { AUDIT_CSV_COLUMNS } from "../csv.ts";
import { exportAuditCsv } from "../export.ts";
import { parseAuditParams, type AuditParams } from "../params.ts";
import { listAuditEntries } from "../queries.ts";
import { verifyAuditChain } from "../verify.ts";
import { alice, ciKey, customerId, parseCsv } from "./fixtures.ts";

type Fixture = {
  id: string;
  at: Date;
  actorType: string;
  actorId: string | null;
  label: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
};

let db: TestDatabase;
let all: Fixture[]; // newest first, as the log lists them

const bob = { id: "00000000-0000-4000-8000-000000000b0b", label: "bob@staff.example" };
const sneaky = { id: "00000000-0000-4000-8000-0000000000e7", label: '=HYPERLINK("http://evil.example","click")' };
const ACTORS = [
  { type: "user", id: alice.id, label: alice.label },
  { type: "api_key", id: ciKey.id, label: ciKey.label },
  { type: "user", id: bob.id, label: bob.label },
  { type: "system", id: null, label: "Delivery retry worker" },
  { type: "api_key", id: sneaky.id, label: sneaky.label },
];
const ACTIONS = ["consent.change", "customer.delete", "user.role_change", "delivery.retry", "sign_in.success"];

const params = (raw: Record<string, string> = {}): AuditParams => {
  const result = parseAuditParams(raw);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.params;
};

async function walk(raw: Record<string, string>, pageSize = 7) {
  const seen: string[] = [];
  let after: string | undefined;
  for (let i = 0; i < 200; i++) {
    const page = await listAuditEntries(params({ ...raw, ...(after ? { after } : {}) }), pageSize);
    seen.push(...page.entries.map((e) => e.id));
    if (!page.next) return seen;
    after = page.next;
  }
  throw new Error("paging did not end");
}

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
  const start = Date.parse("2026-11-01T00:00:00.000Z");
  const rows: Array<Omit<Fixture, "id">> = [];
  for (let i = 0; i < 140; i++) {
    const actor = ACTORS[i % ACTORS.length]!;
    // Every third entry shares its time with the one before: the id breaks the tie.
    const step = i - Math.floor(i / 3);
    const at = new Date(start + step * 40 * 60_000);
    const target = i % 4 === 0 ? { type: "user", id: bob.id } : { type: "customer", id: customerId(i % 6) };
    rows.push({
      at,
      actorType: actor.type,
      actorId: actor.id,
      label: actor.label,
      action: ACTIONS[i % ACTIONS.length]!,
      targetType: target.type,
      targetId: target.id,
    });
  }
  // The last instant of a day, to check the `to` date includes its whole day.
  rows.push({
    at: new Date("2026-11-02T23:59:59.999Z"),
    actorType: "user",
    actorId: alice.id,
    label: alice.label,
    action: "sign_out",
    targetType: null,
    targetId: null,
  });
  // Inserted out of time order, as entries from several app instances may arrive.
  const shuffled = rows
    .map((r, i) => ({ r, k: (i * 7919) % rows.length }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.r);
  all = [];
  for (const r of shuffled) {
    const [inserted] = await db.driver.query<{ id: string }>(
      `INSERT INTO audit_entries (occurred_at, actor_type, actor_id, actor_label, action, target_type, target_id, summary)
       VALUES ($1::timestamptz, $2, $3, $4, $5, $6, $7, '{"n": 1}') RETURNING id::text AS id`,
      [r.at.toISOString(), r.actorType, r.actorId, r.label, r.action, r.targetType, r.targetId],
    );
    all.push({ ...r, id: inserted!.id });
  }
  all.sort((a, b) => b.at.getTime() - a.at.getTime() || Number(BigInt(b.id) - BigInt(a.id)));
});

afterAll(async () => db?.dispose());

describe("listAuditEntries", () => {
  it("pages through every entry newest first, ties broken by id, each once", async () => {
    expect(await walk({})).toEqual(all.map((e) => e.id));
  });

  it("fills a first page of 50 by default", async () => {
    const page = await listAuditEntries(params());
    expect(page.entries.map((e) => e.id)).toEqual(all.slice(0, 50).map((e) => e.id));
    expect(page.previous).toBeUndefined();
    expect(page.next).toBeDefined();
  });

  it("pages back with the previous cursor to the same rows", async () => {
    const first = await listAuditEntries(params(), 9);
    const second = await listAuditEntries(params({ after: first.next! }), 9);
    const third = await listAuditEntries(params({ after: second.next! }), 9);
    const backToSecond = await listAuditEntries(params({ before: third.previous! }), 9);
    expect(backToSecond.entries.map((e) => e.id)).toEqual(second.entries.map((e) => e.id));
    const backToFirst = await listAuditEntries(params({ before: backToSecond.previous! }), 9);
    expect(backToFirst.entries.map((e) => e.id)).toEqual(first.entries.map((e) => e.id));
    expect(backToFirst.previous).toBeUndefined();
  });

  const day = (iso: string) => Date.parse(`${iso}T00:00:00.000Z`);
  it.each<[string, Record<string, string>, (e: Fixture) => boolean]>([
    ["an actor id", { actor: bob.id }, (e) => e.actorId === bob.id],
    ["an actor label prefix, any case", { actor: "ALICE@" }, (e) => e.label.startsWith("alice@")],
    ["an API key name prefix", { actor: "CI imp" }, (e) => e.label === ciKey.label],
    ["an action", { action: "customer.delete" }, (e) => e.action === "customer.delete"],
    ["a target type", { targetType: "user" }, (e) => e.targetType === "user"],
    ["a target", { targetType: "customer", targetId: customerId(2) }, (e) => e.targetType === "customer" && e.targetId === customerId(2)],
    ["a from date", { from: "2026-11-02" }, (e) => e.at.getTime() >= day("2026-11-02")],
    ["a to date, its whole day included", { to: "2026-11-02" }, (e) => e.at.getTime() < day("2026-11-03")],
    [
      "a one-day range",
      { from: "2026-11-02", to: "2026-11-02" },
      (e) => e.at.getTime() >= day("2026-11-02") && e.at.getTime() < day("2026-11-03"),
    ],
    [
      "everything at once",
      { actor: "alice", action: "consent.change", targetType: "customer", from: "2026-11-01", to: "2026-11-02" },
      (e) =>
        e.label.startsWith("alice") && e.action === "consent.change" && e.targetType === "customer" && e.at.getTime() < day("2026-11-03"),
    ],
  ])("filters by %s, exactly", async (_, raw, keep) => {
    const expected = all.filter(keep).map((e) => e.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.length);
    expect(await walk(raw, 6)).toEqual(expected);
  });

  it("answers an empty page for a filter nothing matches", async () => {
    expect(await listAuditEntries(params({ actor: "nobody" }))).toEqual({ entries: [], next: undefined, previous: undefined });
  });
});

describe("exportAuditCsv", () => {
  const read = async (raw: Record<string, string>, options?: { maxRows?: number; batchSize?: number }) => {
    const result = await exportAuditCsv(params(raw), options);
    return { truncated: result.truncated, rows: parseCsv(await new Response(result.stream).text()) };
  };

  it("writes the whole filtered view in keyset batches, newest first", async () => {
    const { truncated, rows } = await read({}, { batchSize: 13 });
    expect(truncated).toBe(false);
    expect(rows[0]).toEqual([...AUDIT_CSV_COLUMNS]);
    expect(all.length).toBeGreaterThan(13);
    expect(rows.slice(1).map((r) => r[0])).toEqual(all.map((e) => e.id));
    expect(rows.slice(1).every((r) => r.length === AUDIT_CSV_COLUMNS.length)).toBe(true);
  });

  it("applies the filters and neutralises a formula in a key's name", async () => {
    const { rows } = await read({ actor: sneaky.id }, { batchSize: 5 });
    expect(rows.slice(1).map((r) => r[0])).toEqual(all.filter((e) => e.actorId === sneaky.id).map((e) => e.id));
    expect(rows[1]![AUDIT_CSV_COLUMNS.indexOf("actor_label")]).toBe(`'${sneaky.label}`);
    expect(rows[1]![AUDIT_CSV_COLUMNS.indexOf("summary")]).toBe('{"n": 1}');
  });

  it("stops at the row cap and says the view held more", async () => {
    const { truncated, rows } = await read({}, { maxRows: 20, batchSize: 8 });
    expect(truncated).toBe(true);
    expect(rows.slice(1).map((r) => r[0])).toEqual(all.slice(0, 20).map((e) => e.id));
    expect((await read({}, { maxRows: all.length })).truncated).toBe(false);
  });

  it("leaves the chain intact: entries inserted at chosen times still verify", async () => {
    expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: true, entries: all.length });
  });
});
