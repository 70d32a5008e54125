import { describe, expect, it } from "vitest";
import { everyPurpose, type RecordedConsent } from "../../consent/model.ts";
import { summarizeConsent, type ConsentSummary } from "../consent-summary.ts";

const INTEGRATIONS = [
  { vendor: "braze", name: "Braze" },
  { vendor: "meta", name: "Meta Custom Audiences" },
];

const allPurposes = (value: boolean | null): RecordedConsent["purposes"] => everyPurpose(value);

/** The summary as a line: what the directory cell reads. */
const read = (s: ConsentSummary) => (s.recorded ? s.blocked.map((b) => b.label).join(", ") || "all allowed" : "not recorded");

describe("summarizeConsent", () => {
  it.each<[string, RecordedConsent | null, string]>([
    ["nothing recorded allows everything", null, "not recorded"],
    ["every purpose and known vendor true", { purposes: allPurposes(true), vendors: { braze: true, meta: true } }, "all allowed"],
    // The directory bug: purposes all on, Meta off, read as "all purposes".
    [
      "a blocked vendor alone, by its integration's name",
      { purposes: allPurposes(true), vendors: { braze: true, meta: false } },
      "Meta Custom Audiences",
    ],
    [
      "a known vendor the record does not name blocks (rule 2)",
      { purposes: allPurposes(true), vendors: { braze: true } },
      "Meta Custom Audiences",
    ],
    [
      "a vendor no integration has is not evaluated",
      { purposes: allPurposes(true), vendors: { braze: true, meta: true, tiktok: false } },
      "all allowed",
    ],
    [
      "purposes (catalogue order, false or never named) before vendors",
      {
        purposes: { ...allPurposes(true), link_tracking: false, email_marketing: null, behavioral_campaigns: null },
        vendors: { meta: false, braze: false },
      },
      "Behavioral campaigns, Email marketing, Link tracking, Braze, Meta Custom Audiences",
    ],
    [
      "everything off",
      { purposes: allPurposes(false), vendors: {} },
      "Behavioral campaigns, Email marketing, Push notifications, Coupon campaigns, Punch card campaigns, Link tracking, Braze, Meta Custom Audiences",
    ],
  ])("%s", (_, consent, expected) => {
    expect(read(summarizeConsent(consent, INTEGRATIONS))).toBe(expected);
  });

  it("keeps each blocked item's key beside its label", () => {
    const summary = summarizeConsent(
      { purposes: { ...allPurposes(true), email_marketing: false }, vendors: { braze: true } },
      INTEGRATIONS,
    );
    expect(summary).toEqual({
      recorded: true,
      blocked: [
        { kind: "purpose", purpose: "email_marketing", label: "Email marketing" },
        { kind: "vendor", vendor: "meta", label: "Meta Custom Audiences" },
      ],
    });
  });

  it("with no integrations, a record is judged on its purposes alone", () => {
    expect(read(summarizeConsent({ purposes: allPurposes(true), vendors: { meta: false } }, []))).toBe("all allowed");
  });
});
