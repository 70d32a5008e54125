import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "../../../app/api/customers/[id]/consent-history/route.ts";
import { parseCsv } from "../../audit/__tests__/fixtures.ts";
import { createApiKey } from "../../auth/api-keys.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { HISTORY_CSV_COLUMNS } from "../history-diff.ts";
import { consentAsOf, customerExists, exportConsentHistory, listConsentHistory } from "../history.ts";
import { PURPOSES } from "../purposes.ts";

const ANA = "00000000-0000-4000-8000-0000000a0a0a";
const BRUNO = "00000000-0000-4000-8000-0000000b0b0b";
const NOBODY = "00000000-0000-4000-8000-00000000dead";

const at = (iso: string) => new Date(iso);
const T = {
  v1: at("2026-11-01T10:00:00.000Z"),
  v2: at("2026-11-02T10:00:00.000Z"),
  v3: at("2026-11-03T10:00:00.500Z"),
  v4: at("2026-11-04T10:00:00.000Z"),
  v5: at("2026-11-05T10:00:00.000Z"),
};
const GIVEN = at("2026-10-31T09:00:00.000Z");

type Snapshot = { purposes: Record<string, boolean | null>; vendors: Record<string, boolean> };
const allNull = Object.fromEntries(PURPOSES.map((p) => [p, null])) as Record<string, boolean | null>;
const s1: Snapshot = { purposes: { ...allNull, email_marketing: true, push_notifications: false }, vendors: { meta: true } };
const s2: Snapshot = { purposes: { ...s1.purposes, email_marketing: false }, vendors: { meta: true } };
const s3: Snapshot = { purposes: s2.purposes, vendors: { meta: true, braze: true } };
const s4: Snapshot = { purposes: { ...s2.purposes, email_marketing: true, link_tracking: true }, vendors: s3.vendors };
const s5: Snapshot = { purposes: { ...s4.purposes, push_notifications: true }, vendors: s3.vendors };

type Change = {
  customer: string;
  version: number;
  source: string;
  actorType: string;
  actorId: string | null;
  label: string;
  changedAt: Date;
  before: Snapshot | null;
  after: Snapshot;
  changed: string[];
  reason: string | null;
  consentTimestamp: Date | null;
  consentString: string | null;
};

// The record's TC string and consent timestamp ride on every row, as they are after the change.
const CHANGES: Change[] = [
  {
    customer: ANA,
    version: 1,
    source: "dashboard",
    actorType: "user",
    actorId: "u-1",
    label: "marta@staff.example",
    changedAt: T.v1,
    before: null,
    after: s1,
    changed: [...PURPOSES, "vendors.meta", "consent_timestamp", "consent_string"],
    reason: "Signed up in store",
    consentTimestamp: GIVEN,
    consentString: "CPv1",
  },
  {
    customer: ANA,
    version: 2,
    source: "api",
    actorType: "api_key",
    actorId: "k-1",
    label: "CRM sync",
    changedAt: T.v2,
    before: s1,
    after: s2,
    changed: ["email_marketing"],
    reason: "Unsubscribed via link",
    consentTimestamp: GIVEN,
    consentString: "CPv1",
  },
  {
    customer: ANA,
    version: 3,
    source: "import",
    actorType: "system",
    actorId: null,
    label: "Nightly import",
    changedAt: T.v3,
    before: s2,
    after: s3,
    changed: ["vendors.braze"],
    reason: null,
    consentTimestamp: GIVEN,
    consentString: "CPv1",
  },
  {
    customer: ANA,
    version: 4,
    source: "dashboard",
    actorType: "user",
    actorId: "u-2",
    label: '=HYPERLINK("http://evil.example","x")',
    changedAt: T.v4,
    before: s3,
    after: s4,
    changed: ["email_marketing", "link_tracking", "consent_string"],
    reason: "@SUM(A1) re-subscribed",
    consentTimestamp: GIVEN,
    consentString: "CPv4",
  },
  {
    customer: ANA,
    version: 5,
    source: "api",
    actorType: "api_key",
    actorId: "k-1",
    label: "CRM sync",
    changedAt: T.v5,
    before: s4,
    after: s5,
    changed: ["push_notifications"],
    reason: null,
    consentTimestamp: GIVEN,
    consentString: "CPv4",
  },
  {
    customer: BRUNO,
    version: 1,
    source: "api",
    actorType: "api_key",
    actorId: "k-1",
    label: "CRM sync",
    changedAt: T.v1,
    before: null,
    after: s1,
    changed: [...PURPOSES, "vendors.meta"],
    reason: null,
    consentTimestamp: null,
    consentString: null,
  },
];

let db: TestDatabase;
let auditorKey: string;

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
  for (const [id, ext] of [
    [ANA, "history-ana"],
    [BRUNO, "history-bruno"],
    ["00000000-0000-4000-8000-0000000c0c0c", "history-chen"],
  ]) {
    await db.driver.query("INSERT INTO customers (id, external_id) VALUES ($1, $2)", [id, ext]);
  }
  // Inserted out of version order: reading must not depend on insertion order.
  for (const c of [CHANGES[2]!, CHANGES[0]!, CHANGES[4]!, CHANGES[1]!, CHANGES[5]!, CHANGES[3]!]) {
    await db.driver.query(
      `INSERT INTO consent_changes (customer_id, version, source, actor_type, actor_id, actor_label, changed_at, before, after, changed, reason, consent_timestamp, consent_string)
       VALUES ($1, $2, $3::consent_source, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10::text[], $11, $12, $13)`,
      [
        c.customer,
        c.version,
        c.source,
        c.actorType,
        c.actorId,
        c.label,
        c.changedAt,
        c.before && JSON.stringify(c.before),
        JSON.stringify(c.after),
        c.changed,
        c.reason,
        c.consentTimestamp,
        c.consentString,
      ],
    );
  }
  auditorKey = (await createApiKey({ name: "auditor key", role: "auditor", createdById: null }, db.prisma)).key;
});
afterAll(async () => db?.dispose());

describe("listConsentHistory", () => {
  it("lists one customer's changes newest first, with actor, source, reason and per-key diff", async () => {
    const { entries, next } = await listConsentHistory(ANA, { limit: 20 });
    expect(next).toBeUndefined();
    expect(entries.map((e) => e.version)).toEqual([5, 4, 3, 2, 1]);
    const [v5, v4, v3, v2, v1] = entries;
    expect(v2).toMatchObject({
      source: "api",
      actorType: "api_key",
      actorLabel: "CRM sync",
      reason: "Unsubscribed via link",
      changedAt: T.v2,
    });
    expect(v2!.diff).toEqual([{ kind: "decision", key: "email_marketing", label: "Email marketing", before: "allowed", after: "blocked" }]);
    expect(v3!.diff).toEqual([{ kind: "decision", key: "vendors.braze", label: "Vendor: braze", before: "not named", after: "allowed" }]);
    expect(v4!.diff.map((r) => [r.key, r.before, r.after])).toEqual([
      ["email_marketing", "blocked", "allowed"],
      ["link_tracking", "not named", "allowed"],
      ["consent_string", "CPv1", "CPv4"],
    ]);
    expect(v5!.diff.map((r) => [r.key, r.before, r.after])).toEqual([["push_notifications", "blocked", "allowed"]]);
    expect(v1!.before).toBeNull();
    expect(v1!.diff.map((r) => [r.key, r.before, r.after])).toEqual([
      ["behavioral_campaigns", "not recorded", "not named"],
      ["email_marketing", "not recorded", "allowed"],
      ["push_notifications", "not recorded", "blocked"],
      ["coupon_campaigns", "not recorded", "not named"],
      ["punchcard_campaigns", "not recorded", "not named"],
      ["link_tracking", "not recorded", "not named"],
      ["vendors.meta", "not recorded", "allowed"],
      ["consent_timestamp", null, GIVEN.toISOString()],
      ["consent_string", null, "CPv1"],
    ]);
  });

  it("pages back by version with a keyset cursor", async () => {
    const first = await listConsentHistory(ANA, { limit: 2 });
    expect(first.entries.map((e) => e.version)).toEqual([5, 4]);
    expect(first.next).toBe(4);
    const second = await listConsentHistory(ANA, { limit: 2, before: first.next });
    expect(second.entries.map((e) => e.version)).toEqual([3, 2]);
    const third = await listConsentHistory(ANA, { limit: 2, before: second.next });
    expect(third.entries.map((e) => e.version)).toEqual([1]);
    expect(third.next).toBeUndefined();
  });

  it("filters by purpose, keeping only that key's diff row", async () => {
    const { entries } = await listConsentHistory(ANA, { purpose: "email_marketing" });
    expect(entries.map((e) => e.version)).toEqual([4, 2, 1]);
    expect(entries.every((e) => e.diff.length === 1 && e.diff[0]!.key === "email_marketing")).toBe(true);
    expect(entries[0]!.changed).toHaveLength(3);

    const paged = await listConsentHistory(ANA, { purpose: "email_marketing", limit: 1, before: 4 });
    expect(paged.entries.map((e) => e.version)).toEqual([2]);
    expect(paged.next).toBe(2);
  });

  it("filters by vendor", async () => {
    expect((await listConsentHistory(ANA, { purpose: "vendors.braze" })).entries.map((e) => e.version)).toEqual([3]);
    expect((await listConsentHistory(ANA, { purpose: "vendors.meta" })).entries.map((e) => e.version)).toEqual([1]);
    expect((await listConsentHistory(ANA, { purpose: "vendors.warehouse" })).entries).toEqual([]);
  });

  it("with an as-of instant, marks the entries changed after it (not yet in effect then), and only those", async () => {
    const { entries } = await listConsentHistory(ANA, { asOf: T.v3 });
    expect(entries.map((e) => [e.version, e.afterAsOf])).toEqual([
      [5, true],
      [4, true],
      [3, false],
      [2, false],
      [1, false],
    ]);
    // A millisecond before version 3 was recorded, it too is later.
    const earlier = await listConsentHistory(ANA, { asOf: new Date(T.v3.getTime() - 1) });
    expect(earlier.entries.filter((e) => e.afterAsOf).map((e) => e.version)).toEqual([5, 4, 3]);
    expect((await listConsentHistory(ANA)).entries.some((e) => e.afterAsOf)).toBe(false);
  });

  it("labels vendors by their integration's name, by slug when no integration has it", async () => {
    expect((await listConsentHistory(ANA, { purpose: "vendors.braze" })).entries[0]!.diff[0]!.label).toBe("Vendor: braze");
    // The integration is this test's own: removed again, so no other test sees its name.
    const braze = await db.prisma.integration.create({
      data: { name: "Braze", vendor: "braze", endpoint: "http://127.0.0.1:4010/hooks/braze", purposes: [] },
    });
    try {
      const { entries } = await listConsentHistory(ANA, { purpose: "vendors.braze" });
      expect(entries.length).toBeGreaterThan(0);
      expect(entries[0]!.diff).toEqual([expect.objectContaining({ key: "vendors.braze", label: "Braze" })]);
    } finally {
      await db.prisma.integration.delete({ where: { id: braze.id } });
    }
  });

  it("is empty for a customer with no history, an unknown one and a malformed id", async () => {
    expect(await listConsentHistory("00000000-0000-4000-8000-0000000c0c0c")).toEqual({ entries: [] });
    expect(await listConsentHistory(NOBODY)).toEqual({ entries: [] });
    expect(await listConsentHistory("not-a-uuid")).toEqual({ entries: [] });
  });
});

describe("consentAsOf", () => {
  it("before the first change: not recorded, everything allowed", async () => {
    const asOf = await consentAsOf(ANA, at("2026-11-01T09:59:59.999Z"), { vendors: ["meta", "braze"] });
    expect(asOf.recorded).toBe(false);
    expect(asOf.purposes).toHaveLength(PURPOSES.length);
    expect(asOf.purposes.every((p) => p.allowed && p.state === "not recorded")).toBe(true);
    expect(asOf.vendors.map((v) => [v.vendor, v.state])).toEqual([
      ["braze", "not recorded"],
      ["meta", "not recorded"],
    ]);
  });

  it("between changes: the earlier change's record", async () => {
    const asOf = await consentAsOf(ANA, at("2026-11-03T10:00:00.499Z"), { vendors: ["braze"] });
    expect(asOf).toMatchObject({ recorded: true, version: 2, changedAt: T.v2, consentString: "CPv1", consentTimestamp: GIVEN });
    const state = Object.fromEntries(asOf.purposes.map((p) => [p.purpose, p.state]));
    expect(state).toMatchObject({ email_marketing: "blocked", push_notifications: "blocked", link_tracking: "not named" });
    expect(asOf.vendors.map((v) => [v.vendor, v.state])).toEqual([
      ["braze", "not named"],
      ["meta", "allowed"],
    ]);
  });

  it("at the exact instant of a change: that change is in effect", async () => {
    const asOf = await consentAsOf(ANA, T.v3);
    expect(asOf).toMatchObject({ recorded: true, version: 3 });
    expect(asOf.vendors.map((v) => [v.vendor, v.allowed])).toEqual([
      ["braze", true],
      ["meta", true],
    ]);
  });

  it("after the last change: the current record", async () => {
    const asOf = await consentAsOf(ANA, at("2027-01-01T00:00:00.000Z"));
    expect(asOf).toMatchObject({ recorded: true, version: 5, consentString: "CPv4" });
    expect(asOf.purposes.filter((p) => p.allowed).map((p) => p.purpose)).toEqual([
      "email_marketing",
      "push_notifications",
      "link_tracking",
    ]);
  });

  it("for a customer with no history: not recorded", async () => {
    expect((await consentAsOf(NOBODY, T.v5)).recorded).toBe(false);
  });
});

describe("exportConsentHistory", () => {
  it("CSV: one formula-safe row per changed key per entry, newest first", async () => {
    const { contentType, body } = await exportConsentHistory(ANA, "csv");
    expect(contentType).toMatch(/^text\/csv/);
    const rows = parseCsv(body);
    expect(rows[0]).toEqual([...HISTORY_CSV_COLUMNS]);
    const data = rows.slice(1);
    expect(data).toHaveLength(1 + 3 + 1 + 1 + 9);
    expect(data[0]).toEqual([
      T.v5.toISOString(),
      "5",
      "api",
      "api_key",
      "CRM sync",
      "push_notifications",
      "blocked",
      "allowed",
      "",
      GIVEN.toISOString(),
      "CPv4",
    ]);
    const v4 = data.filter((r) => r[1] === "4");
    expect(v4.map((r) => r[5])).toEqual(["email_marketing", "link_tracking", "consent_string"]);
    expect(v4[0]![4]).toBe('\'=HYPERLINK("http://evil.example","x")');
    expect(v4[0]![8]).toBe("'@SUM(A1) re-subscribed");
    expect(data.at(-1)).toEqual([
      T.v1.toISOString(),
      "1",
      "dashboard",
      "user",
      "marta@staff.example",
      "consent_string",
      "",
      "CPv1",
      "Signed up in store",
      GIVEN.toISOString(),
      "CPv1",
    ]);
  });

  it("JSON: the customer, when, and full entries with before/after objects", async () => {
    const now = at("2026-12-01T12:00:00.000Z");
    const { contentType, body } = await exportConsentHistory(ANA, "json", { now });
    expect(contentType).toMatch(/^application\/json/);
    const doc = JSON.parse(body);
    expect(doc.customer_id).toBe(ANA);
    expect(doc.exported_at).toBe(now.toISOString());
    expect(doc.entries.map((e: { version: number }) => e.version)).toEqual([5, 4, 3, 2, 1]);
    expect(doc.entries[3]).toMatchObject({
      version: 2,
      changed_at: T.v2.toISOString(),
      source: "api",
      actor_type: "api_key",
      actor_id: "k-1",
      actor_label: "CRM sync",
      before: s1,
      after: s2,
      changed: ["email_marketing"],
      reason: "Unsubscribed via link",
      consent_string: "CPv1",
      diff: [{ key: "email_marketing", label: "Email marketing", before: "allowed", after: "blocked" }],
    });
    expect(doc.entries[4].before).toBeNull();
  });

  it("filters the export by purpose", async () => {
    const rows = parseCsv((await exportConsentHistory(ANA, "csv", { purpose: "email_marketing" })).body).slice(1);
    expect(rows.map((r) => [r[1], r[5]])).toEqual([
      ["4", "email_marketing"],
      ["2", "email_marketing"],
      ["1", "email_marketing"],
    ]);
  });
});

describe("GET /api/customers/{id}/consent-history", () => {
  const call = (id: string, query = "", authorization: string | null = `Bearer ${auditorKey}`) =>
    GET(new Request(`http://localhost/api/customers/${id}/consent-history${query}`, { headers: authorization ? { authorization } : {} }), {
      params: Promise.resolve({ id }),
    });

  it("answers 401 without credentials", async () => {
    expect((await call(ANA, "", null)).status).toBe(401);
  });

  it("answers 404 for an unknown and a malformed customer id", async () => {
    for (const id of [NOBODY, "not-a-uuid"]) {
      const response = await call(id, "?format=csv");
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
    }
  });

  it("answers 422 naming a bad parameter", async () => {
    const response = await call(ANA, "?format=xml&purpose=vendors.NOPE");
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body.error.code).toBe("invalid_parameters");
    expect(Object.keys(body.error.fields).sort()).toEqual(["format", "purpose"]);
  });

  it("exports CSV as an attachment, not cached", async () => {
    const response = await call(ANA, "?format=csv&purpose=vendors.braze");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("content-disposition")).toMatch(
      new RegExp(`^attachment; filename="consent-history-${ANA}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`),
    );
    const rows = parseCsv(await response.text());
    expect(rows.slice(1).map((r) => r[5])).toEqual(["vendors.braze"]);
  });

  it("exports JSON by default", async () => {
    const response = await call(ANA);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("content-disposition")).toMatch(/\.json"$/);
    expect((await response.json()).entries).toHaveLength(5);
  });
});

describe("consent_changes", () => {
  it("is append-only: UPDATE and DELETE are refused by the trigger", async () => {
    await expect(db.driver.query("UPDATE consent_changes SET reason = 'edited' WHERE customer_id = $1", [ANA])).rejects.toThrow(
      /append-only/,
    );
    await expect(db.driver.query("DELETE FROM consent_changes WHERE customer_id = $1", [ANA])).rejects.toThrow(/append-only/);
    expect((await listConsentHistory(ANA)).entries.map((e) => e.reason)).toEqual([
      null,
      "@SUM(A1) re-subscribed",
      null,
      "Unsubscribed via link",
      "Signed up in store",
    ]);
  });

  it("customerExists tells known ids from unknown and malformed ones", async () => {
    expect(await customerExists(ANA)).toBe(true);
    expect(await customerExists(NOBODY)).toBe(false);
    expect(await customerExists("x")).toBe(false);
  });
});
