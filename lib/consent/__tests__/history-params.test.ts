import { describe, expect, it } from "vitest";
import { AsOfSchema, parseHistoryExportParams, parseHistoryPageParams } from "../../validations/consent-history.ts";
import { REPEATED_PARAM_MESSAGE } from "../../validations/search-params.ts";

describe("AsOfSchema", () => {
  it.each([
    ["a datetime-local value, read as UTC", "2026-12-01T09:30", "2026-12-01T09:30:00.000Z"],
    ["with seconds", "2026-12-01T09:30:15", "2026-12-01T09:30:15.000Z"],
    ["with milliseconds", "2026-12-01T09:30:15.123", "2026-12-01T09:30:15.123Z"],
    ["ISO with Z", "2026-12-01T09:30:15.123Z", "2026-12-01T09:30:15.123Z"],
    ["ISO with an offset", "2026-12-01T11:30:00+02:00", "2026-12-01T09:30:00.000Z"],
  ])("accepts %s", (_, raw, iso) => {
    expect(AsOfSchema.parse(raw).toISOString()).toBe(iso);
  });

  it.each(["2026-02-30T10:00", "2026-13-01T10:00", "2026-12-01", "yesterday", "2026-12-01 09:30", ""])("rejects %j", (raw) => {
    expect(AsOfSchema.safeParse(raw).success).toBe(false);
  });
});

describe("parseHistoryPageParams", () => {
  it("reads the purpose, the as-of time and the cursor", () => {
    expect(parseHistoryPageParams({ historyPurpose: "vendors.meta", asOf: "2026-12-01T09:30", historyBefore: "12" })).toEqual({
      params: { purpose: "vendors.meta", asOf: new Date("2026-12-01T09:30:00.000Z"), before: 12 },
      errors: [],
    });
  });

  it("treats empty values as absent and refuses a repeated one by name", () => {
    expect(parseHistoryPageParams({ historyBefore: ["3", "9"] }).errors).toEqual([
      { field: "historyBefore", message: REPEATED_PARAM_MESSAGE },
    ]);
    expect(parseHistoryPageParams({ historyPurpose: "", asOf: "", historyBefore: ["3"] })).toEqual({
      params: { purpose: undefined, asOf: undefined, before: 3 },
      errors: [],
    });
  });

  it("names each bad field, drops it, and keeps the rest", () => {
    const result = parseHistoryPageParams({ historyPurpose: "email_marketing", asOf: "2026-02-30T10:00", historyBefore: "0" });
    expect(result.params).toEqual({ purpose: "email_marketing", asOf: undefined, before: undefined });
    expect(result.errors.map((e) => e.field).sort()).toEqual(["asOf", "historyBefore"]);
    expect(result.errors.find((e) => e.field === "asOf")!.message).toMatch(/date and time/);
  });

  it("rejects a key that is neither a purpose nor vendors.<slug>", () => {
    const result = parseHistoryPageParams({ historyPurpose: "vendors.Not A Slug" });
    expect(result.errors).toEqual([{ field: "historyPurpose", message: expect.stringMatching(/purpose/) }]);
  });
});

describe("parseHistoryExportParams", () => {
  it("defaults to JSON", () => {
    expect(parseHistoryExportParams({})).toEqual({ ok: true, params: { format: "json", purpose: undefined } });
  });

  it("takes csv and a purpose", () => {
    expect(parseHistoryExportParams({ format: "csv", purpose: "link_tracking" })).toEqual({
      ok: true,
      params: { format: "csv", purpose: "link_tracking" },
    });
  });

  it("refuses a bad format or purpose by name", () => {
    const result = parseHistoryExportParams({ format: "xml", purpose: "nope" });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(Object.fromEntries(result.errors.map((e) => [e.field, e.message]))).toEqual({
        format: "must be csv or json",
        purpose: expect.stringMatching(/purpose/),
      });
  });
});
