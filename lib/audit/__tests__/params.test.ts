import { describe, expect, it } from "vitest";
import { auditFilterQuery, encodeAuditCursor, parseAuditParams } from "../params.ts";
import { buildAuditListQuery } from "../sql.ts";
import { REPEATED_PARAM_MESSAGE } from "../../validations/search-params.ts";

const EMPTY = {
  actor: undefined,
  action: undefined,
  targetType: undefined,
  targetId: undefined,
  from: undefined,
  toExclusive: undefined,
  after: undefined,
  before: undefined,
};

describe("parseAuditParams", () => {
  it("takes an empty query as the whole log", () => {
    expect(parseAuditParams({})).toEqual({ ok: true, params: EMPTY });
  });

  it("treats empty form fields as absent, refuses a repeated key by name, and reads dates as whole UTC days", () => {
    expect(parseAuditParams({ actor: ["  alice ", "bob"] })).toMatchObject({
      ok: false,
      errors: [{ field: "actor", message: REPEATED_PARAM_MESSAGE }],
    });
    const result = parseAuditParams({ actor: ["  alice "], action: "", from: "2026-11-01", to: "2026-11-02" });
    expect(result).toEqual({
      ok: true,
      params: { ...EMPTY, actor: "alice", from: new Date("2026-11-01T00:00:00.000Z"), toExclusive: new Date("2026-11-03T00:00:00.000Z") },
    });
  });

  it("round-trips a cursor", () => {
    const cursor = { t: "2026-11-30T12:00:00.123Z", id: "9007199254740993" };
    expect(parseAuditParams({ after: encodeAuditCursor(cursor) }).params.after).toEqual(cursor);
  });

  it.each([
    ["action", { action: "audit.export" }],
    ["targetType", { targetType: "Customer; DROP TABLE" }],
    ["targetId", { targetId: "x".repeat(201) }],
    ["actor", { actor: "x".repeat(321) }],
    ["from", { from: "yesterday" }],
    ["to", { to: "2026-02-30" }],
    ["to", { from: "2026-11-02", to: "2026-11-01" }],
    ["after", { after: "not-a-cursor" }],
    ["before", { before: Buffer.from('{"t":"2026-11-30T12:00:00Z","id":"1; --"}').toString("base64url") }],
  ])("names the bad field %s, drops it and keeps the rest", (field, raw) => {
    const result = parseAuditParams({ targetType: "customer", ...raw });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.field)).toEqual([field]);
    expect((result.params as Record<string, unknown>)[field === "to" ? "toExclusive" : field]).toBeUndefined();
    if (field !== "targetType") expect(result.params.targetType).toBe("customer");
  });

  it("finds a date range in the wrong order even beside another bad field", () => {
    const result = parseAuditParams({ action: "nope", from: "2026-11-02", to: "2026-11-01" });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.field)).toEqual(["action", "to"]);
    expect(result.params.from).toEqual(new Date("2026-11-02T00:00:00.000Z"));
  });
});

describe("auditFilterQuery", () => {
  it("keeps the filters, drops cursors and the fields that were rejected", () => {
    const query = auditFilterQuery({ actor: "alice", action: "nope", after: "abc", from: "2026-11-01", extra: "x" }, [{ field: "action" }]);
    expect(query.toString()).toBe("actor=alice&from=2026-11-01");
  });
});

describe("buildAuditListQuery", () => {
  it("passes every value as a parameter, never in the SQL text", () => {
    const parsed = parseAuditParams({ actor: "o'brien%", targetType: "customer", targetId: "c'1", from: "2026-11-01", to: "2026-11-01" });
    if (!parsed.ok) throw new Error("unexpected");
    const cursor = { t: "2026-11-01T10:00:00.000Z", id: "5" };
    const { text, values } = buildAuditListQuery(parsed.params, { after: cursor }, 51);
    expect(text).not.toContain("o'brien");
    expect(text).not.toContain("c'1");
    expect(values).toEqual(["o'brien%", "customer", "c'1", "2026-11-01T00:00:00.000Z", "2026-11-02T00:00:00.000Z", cursor.t, "5", 51]);
    expect(text).toMatch(/\(occurred_at, id\) < \(\$6::timestamptz, \$7::bigint\)/);
    expect(text).toMatch(/ORDER BY audit_entries\.occurred_at DESC, audit_entries\.id DESC LIMIT \$8$/);
  });

  it("runs a before-cursor page in reverse", () => {
    const { text } = buildAuditListQuery(parseAuditParams({}).params, { before: { t: "2026-11-01T10:00:00.000Z", id: "5" } });
    expect(text).toContain("(occurred_at, id) > (");
    expect(text).toContain("ASC LIMIT");
  });
});
