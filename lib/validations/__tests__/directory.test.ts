import { describe, expect, it } from "vitest";
import { buildDirectoryQuery } from "../../customers/directory-sql.ts";
import { detectSearchField, encodeCursor, parseDirectoryParams } from "../directory.ts";
import { REPEATED_PARAM_MESSAGE } from "../search-params.ts";

describe("parseDirectoryParams", () => {
  it("takes an empty query as the default view", () => {
    expect(parseDirectoryParams({})).toEqual({
      ok: true,
      params: {
        q: undefined,
        field: "auto",
        match: "prefix",
        consent: undefined,
        purpose: undefined,
        vendor: undefined,
        audience: undefined,
        sort: undefined,
        after: undefined,
        before: undefined,
      },
    });
  });

  it("treats empty form fields as absent and refuses a repeated key by name, keeping the rest", () => {
    const repeated = parseDirectoryParams({ q: ["ana", "bob"], consent: "recorded" });
    expect(repeated).toMatchObject({
      ok: false,
      errors: [{ field: "q", message: REPEATED_PARAM_MESSAGE }],
      params: { consent: "recorded" },
    });
    const result = parseDirectoryParams({ q: ["ana"], consent: "", purpose: "email_marketing", purposeState: "" });
    expect(result.ok).toBe(true);
    expect(result.params).toMatchObject({ q: "ana", consent: undefined, purpose: { purpose: "email_marketing", state: "blocked" } });
  });

  it("round-trips a cursor", () => {
    const cursor = { v: "2024-01-01T00:00:00.000Z", id: "00000000-0000-4000-8000-000000000001" };
    expect(parseDirectoryParams({ after: encodeCursor(cursor) }).params.after).toEqual(cursor);
  });

  it.each([
    ["after", { after: "not-a-cursor" }],
    ["before", { before: Buffer.from('{"v":1}').toString("base64url") }],
    ["purpose", { purpose: "teleport" }],
    ["purposeState", { purpose: "email_marketing", purposeState: "maybe" }],
    ["vendor", { vendor: "Robert'); DROP TABLE customers;--" }],
    ["audience", { audience: "vip" }],
    ["sort", { sort: "sideways" }],
    ["q", { q: "x".repeat(201) }],
  ])("names the bad field %s, drops it and keeps the rest", (field, raw) => {
    const result = parseDirectoryParams({ ...raw, consent: "recorded" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.field)).toContain(field);
    expect(result.params.consent).toBe("recorded");
  });
});

describe("detectSearchField", () => {
  it.each([
    ["ana@example.com", "email"],
    ["ana.lo", "email"],
    ["+1 (555) 010-0001", "phone"],
    ["5550100", "phone"],
    ["cus_00001234", "external_id"],
    ["demo-ana", "name"],
    ["Ana López", "name"],
    ["ana", "name"],
  ])("%s searches %s", (q, field) => {
    expect(detectSearchField(q)).toBe(field);
  });
});

describe("buildDirectoryQuery", () => {
  it("binds every user value as a parameter, never as SQL text", () => {
    const evil = "x' OR '1'='1";
    const { params } = parseDirectoryParams({ q: evil, field: "name", vendor: "meta", vendorState: "allowed" });
    const { text, values } = buildDirectoryQuery(params);
    expect(text).not.toContain(evil.toLowerCase());
    expect(values).toContain(`${evil.toLowerCase()}%`);
    expect(values).toContain('{"meta":true}');
  });

  it("escapes LIKE wildcards in a prefix search", () => {
    const { params } = parseDirectoryParams({ q: "50%_off", field: "email" });
    expect(buildDirectoryQuery(params).values[0]).toBe("50\\%\\_off%");
  });
});
