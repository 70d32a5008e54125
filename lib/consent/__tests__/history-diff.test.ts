import { describe, expect, it } from "vitest";
import { parseCsv } from "../../audit/__tests__/fixtures.ts";
import {
  computeDiff,
  evaluateConsent,
  HISTORY_CSV_COLUMNS,
  historyCsv,
  historyJsonEntry,
  historyKeyLabel,
  isHistoryFilterKey,
  keyState,
  relativeTime,
  sortHistoryKeys,
  stateAllows,
  truncateMiddle,
  type ConsentHistoryEntry,
  type DiffInput,
} from "../history-diff.ts";
import { PURPOSES } from "../purposes.ts";
import { consentFromSnapshot as parseSnapshot, recordedConsent as record, type RecordedConsent } from "../model.ts";

const input = (over: Partial<DiffInput>): DiffInput => ({
  before: null,
  after: record({}),
  changed: [],
  consentTimestamp: null,
  consentString: null,
  previousConsentTimestamp: null,
  previousConsentString: null,
  ...over,
});

describe("parseSnapshot", () => {
  it("reads null as not recorded", () => {
    expect(parseSnapshot(null)).toBeNull();
    expect(parseSnapshot(undefined)).toBeNull();
  });

  it("keeps booleans, reads every other purpose as not named, and drops non-boolean vendors", () => {
    const parsed = parseSnapshot({
      purposes: { email_marketing: true, push_notifications: false, link_tracking: "yes", bogus: true },
      vendors: { meta: true, braze: 1 },
    });
    expect(parsed).toEqual({
      purposes: {
        behavioral_campaigns: null,
        email_marketing: true,
        push_notifications: false,
        coupon_campaigns: null,
        punchcard_campaigns: null,
        link_tracking: null,
      },
      vendors: { meta: true },
    });
  });

  it("survives a snapshot missing its maps", () => {
    expect(parseSnapshot({})).toEqual({ purposes: Object.fromEntries(PURPOSES.map((p) => [p, null])), vendors: {} });
  });
});

describe("keyState (by the consent rules)", () => {
  const recorded = record({ email_marketing: true, push_notifications: false, link_tracking: null }, { meta: true, braze: false });
  it.each<[string, RecordedConsent | null, string, string, boolean]>([
    ["no record allows a purpose", null, "email_marketing", "not recorded", true],
    ["no record allows a vendor", null, "vendors.meta", "not recorded", true],
    ["true allows", recorded, "email_marketing", "allowed", true],
    ["false blocks", recorded, "push_notifications", "blocked", false],
    ["null is not named, which blocks", recorded, "link_tracking", "not named", false],
    ["an absent purpose is not named", recorded, "coupon_campaigns", "not named", false],
    ["a true vendor allows", recorded, "vendors.meta", "allowed", true],
    ["a false vendor blocks", recorded, "vendors.braze", "blocked", false],
    ["an unnamed vendor blocks", recorded, "vendors.warehouse", "not named", false],
  ])("%s", (_, consent, key, state, allows) => {
    expect(keyState(consent, key as never)).toBe(state);
    expect(stateAllows(keyState(consent, key as never))).toBe(allows);
  });
});

describe("isHistoryFilterKey and labels", () => {
  it.each([
    ["email_marketing", true],
    ["vendors.meta", true],
    ["vendors.my-crm_2", true],
    ["vendors.", false],
    ["vendors.Meta", false],
    ["consent_string", false],
    ["emailmarketing", false],
    ["vendors", false],
  ])("%s → %s", (key, ok) => {
    expect(isHistoryFilterKey(key)).toBe(ok);
  });

  it("labels purposes, vendors and the record's other fields", () => {
    expect(historyKeyLabel("email_marketing")).toBe("Email marketing");
    expect(historyKeyLabel("vendors.meta")).toBe("Vendor: meta");
    expect(historyKeyLabel("vendors.meta", { meta: "Meta Custom Audiences" })).toBe("Meta Custom Audiences");
    expect(historyKeyLabel("consent_string")).toBe("TC string");
    expect(historyKeyLabel("consent_timestamp")).toBe("Consent given at");
    expect(historyKeyLabel("something_new")).toBe("something_new");
  });

  it("sorts purposes in catalogue order, then vendors, then the other fields, without duplicates", () => {
    expect(
      sortHistoryKeys([
        "consent_string",
        "vendors.meta",
        "link_tracking",
        "vendors.braze",
        "consent_timestamp",
        "email_marketing",
        "email_marketing",
      ]),
    ).toEqual(["email_marketing", "link_tracking", "vendors.braze", "vendors.meta", "consent_timestamp", "consent_string"]);
  });
});

describe("computeDiff", () => {
  it("a first recording goes from not recorded to each stored value", () => {
    const rows = computeDiff(
      input({
        before: null,
        after: record({ email_marketing: true, push_notifications: false }, { meta: true }),
        changed: [...PURPOSES, "vendors.meta"],
      }),
    );
    expect(rows.map((r) => [r.key, r.before, r.after])).toEqual([
      ["behavioral_campaigns", "not recorded", "not named"],
      ["email_marketing", "not recorded", "allowed"],
      ["push_notifications", "not recorded", "blocked"],
      ["coupon_campaigns", "not recorded", "not named"],
      ["punchcard_campaigns", "not recorded", "not named"],
      ["link_tracking", "not recorded", "not named"],
      ["vendors.meta", "not recorded", "allowed"],
    ]);
    expect(rows.every((r) => r.kind === "decision")).toBe(true);
  });

  it("a later change lists only its changed keys, with labels", () => {
    const rows = computeDiff(
      input({
        before: record({ email_marketing: true }, { braze: true }),
        after: record({ email_marketing: false }, { braze: false }),
        changed: ["vendors.braze", "email_marketing"],
      }),
    );
    expect(rows).toEqual([
      { kind: "decision", key: "email_marketing", label: "Email marketing", before: "allowed", after: "blocked" },
      { kind: "decision", key: "vendors.braze", label: "Vendor: braze", before: "allowed", after: "blocked" },
    ]);
  });

  it("shows the TC string and consent timestamp from the previous version to this one", () => {
    const rows = computeDiff(
      input({
        before: record({}),
        after: record({}),
        changed: ["consent_string", "consent_timestamp"],
        consentString: "CPnew",
        previousConsentString: "CPold",
        consentTimestamp: new Date("2026-12-01T10:00:00.000Z"),
        previousConsentTimestamp: null,
      }),
    );
    expect(rows).toEqual([
      { kind: "value", key: "consent_timestamp", label: "Consent given at", before: null, after: "2026-12-01T10:00:00.000Z" },
      { kind: "value", key: "consent_string", label: "TC string", before: "CPold", after: "CPnew" },
    ]);
  });

  it("keeps only the filtered key", () => {
    const rows = computeDiff(
      input({
        before: record({}),
        after: record({ email_marketing: true, link_tracking: true }),
        changed: ["email_marketing", "link_tracking"],
      }),
      "link_tracking",
    );
    expect(rows.map((r) => r.key)).toEqual(["link_tracking"]);
  });

  it("lists a key it does not know, without values", () => {
    expect(computeDiff(input({ changed: ["future_field"] }))).toEqual([
      { kind: "value", key: "future_field", label: "future_field", before: null, after: null },
    ]);
  });
});

describe("evaluateConsent", () => {
  it("not recorded: every purpose and every known vendor allowed", () => {
    const e = evaluateConsent(null, ["meta", "braze"]);
    expect(e.purposes).toHaveLength(PURPOSES.length);
    expect(e.purposes.every((p) => p.allowed && p.state === "not recorded")).toBe(true);
    expect(e.vendors).toEqual([
      { vendor: "braze", label: "Vendor: braze", state: "not recorded", allowed: true },
      { vendor: "meta", label: "Vendor: meta", state: "not recorded", allowed: true },
    ]);
  });

  it("recorded: the record's vendors and the known ones, each by the rules", () => {
    const e = evaluateConsent(record({ email_marketing: true, push_notifications: false }, { meta: true }), ["braze"]);
    expect(e.purposes.find((p) => p.purpose === "email_marketing")).toMatchObject({ state: "allowed", allowed: true });
    expect(e.purposes.find((p) => p.purpose === "push_notifications")).toMatchObject({ state: "blocked", allowed: false });
    expect(e.purposes.find((p) => p.purpose === "coupon_campaigns")).toMatchObject({ state: "not named", allowed: false });
    expect(e.vendors).toEqual([
      { vendor: "braze", label: "Vendor: braze", state: "not named", allowed: false },
      { vendor: "meta", label: "Vendor: meta", state: "allowed", allowed: true },
    ]);
  });
});

const entry = (over: Partial<ConsentHistoryEntry>): ConsentHistoryEntry => ({
  id: "1",
  version: 1,
  source: "dashboard",
  actorType: "user",
  actorId: "u1",
  actorLabel: "ana@staff.example",
  changedAt: new Date("2026-12-01T10:00:00.123Z"),
  afterAsOf: false,
  before: null,
  after: record({ email_marketing: true }),
  changed: ["email_marketing"],
  reason: null,
  consentTimestamp: null,
  consentString: null,
  diff: [{ kind: "decision", key: "email_marketing", label: "Email marketing", before: "not recorded", after: "allowed" }],
  ...over,
});

describe("historyCsv", () => {
  it("writes one row per changed key per entry under the documented header", () => {
    const csv = historyCsv([
      entry({
        id: "2",
        version: 2,
        source: "api",
        actorType: "api_key",
        actorLabel: "CRM sync",
        reason: "Customer asked, by phone",
        changed: ["email_marketing", "vendors.meta"],
        consentTimestamp: new Date("2026-12-01T09:00:00.000Z"),
        consentString: "CPabc",
        diff: [
          { kind: "decision", key: "email_marketing", label: "Email marketing", before: "allowed", after: "blocked" },
          { kind: "decision", key: "vendors.meta", label: "Vendor: meta", before: "not named", after: "allowed" },
        ],
      }),
      entry({}),
    ]);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([...HISTORY_CSV_COLUMNS]);
    expect(rows.slice(1)).toEqual([
      [
        "2026-12-01T10:00:00.123Z",
        "2",
        "api",
        "api_key",
        "CRM sync",
        "email_marketing",
        "allowed",
        "blocked",
        "Customer asked, by phone",
        "2026-12-01T09:00:00.000Z",
        "CPabc",
      ],
      [
        "2026-12-01T10:00:00.123Z",
        "2",
        "api",
        "api_key",
        "CRM sync",
        "vendors.meta",
        "not named",
        "allowed",
        "Customer asked, by phone",
        "2026-12-01T09:00:00.000Z",
        "CPabc",
      ],
      ["2026-12-01T10:00:00.123Z", "1", "dashboard", "user", "ana@staff.example", "email_marketing", "not recorded", "allowed", "", "", ""],
    ]);
  });

  it("neutralises formulas in outsider-typed cells (actor labels, reasons)", () => {
    const rows = parseCsv(
      historyCsv([entry({ actorLabel: '=HYPERLINK("http://evil.example","x")', reason: "+1 555 0100", diff: [], changed: [] })]),
    );
    expect(rows[1]).toEqual([
      "2026-12-01T10:00:00.123Z",
      "1",
      "dashboard",
      "user",
      '\'=HYPERLINK("http://evil.example","x")',
      "",
      "",
      "",
      "'+1 555 0100",
      "",
      "",
    ]);
  });
});

const NONE_NAMED = Object.fromEntries(PURPOSES.map((p) => [p, null]));

describe("historyJsonEntry", () => {
  it("uses snake_case names, ISO times and the full before/after objects", () => {
    const e = entry({ before: record({ email_marketing: false }), consentTimestamp: new Date("2026-11-30T08:00:00.000Z") });
    expect(historyJsonEntry(e)).toEqual({
      id: "1",
      version: 1,
      changed_at: "2026-12-01T10:00:00.123Z",
      source: "dashboard",
      actor_type: "user",
      actor_id: "u1",
      actor_label: "ana@staff.example",
      before: { purposes: { ...NONE_NAMED, email_marketing: false }, vendors: {} },
      after: { purposes: { ...NONE_NAMED, email_marketing: true }, vendors: {} },
      changed: ["email_marketing"],
      diff: [{ key: "email_marketing", label: "Email marketing", before: "not recorded", after: "allowed" }],
      reason: null,
      consent_timestamp: "2026-11-30T08:00:00.000Z",
      consent_string: null,
    });
  });
});

describe("relativeTime and truncateMiddle", () => {
  const now = new Date("2026-12-10T12:00:00.000Z");
  it.each([
    [new Date("2026-12-10T11:59:30.000Z"), "just now"],
    [new Date("2026-12-10T11:55:00.000Z"), "5 minutes ago"],
    [new Date("2026-12-10T09:00:00.000Z"), "3 hours ago"],
    [new Date("2026-12-09T12:00:00.000Z"), "yesterday"],
    [new Date("2026-11-26T12:00:00.000Z"), "2 weeks ago"],
    [new Date("2025-12-10T12:00:00.000Z"), "last year"],
    [new Date("2026-12-10T14:00:00.000Z"), "in 2 hours"],
  ])("%s → %s", (at, text) => {
    expect(relativeTime(at, now)).toBe(text);
  });

  it("keeps short text and cuts the middle of long text", () => {
    expect(truncateMiddle("CPshort", 32)).toBe("CPshort");
    const cut = truncateMiddle("A".repeat(20) + "B".repeat(20), 11);
    expect(cut).toBe("AAAAA…BBBBB");
  });
});
