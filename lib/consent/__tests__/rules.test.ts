import { describe, expect, it } from "vitest";
import { evaluateIntegration, evaluatePurpose, evaluateVendor } from "../rules.ts";
import { recordedConsent as recorded } from "../model.ts";

describe("evaluatePurpose", () => {
  it.each([
    ["not recorded allows every purpose", null, "email_marketing", true, "not_recorded"],
    ["explicit true allows", recorded({ email_marketing: true }), "email_marketing", true, "granted"],
    ["explicit false blocks", recorded({ email_marketing: false }), "email_marketing", false, "denied"],
    ["absent from a record blocks", recorded({ push_notifications: true }), "email_marketing", false, "not_named"],
    ["null inside a record blocks", recorded({ link_tracking: null }), "link_tracking", false, "not_named"],
    ["an empty record blocks", recorded({}), "behavioral_campaigns", false, "not_named"],
  ] as const)("%s", (_name, consent, purpose, allowed, reason) => {
    expect(evaluatePurpose(consent, purpose)).toEqual({ allowed, reason });
  });
});

describe("evaluateVendor", () => {
  it.each([
    ["not recorded allows every vendor", null, "meta", true],
    ["vendor true allows", recorded({}, { meta: true }), "meta", true],
    ["vendor false blocks", recorded({}, { meta: false }), "meta", false],
    ["vendor absent from a record blocks", recorded({ email_marketing: true }, { braze: true }), "meta", false],
    ["inherited object keys are not vendors", recorded({}, {}), "constructor", false],
  ] as const)("%s", (_name, consent, vendor, allowed) => {
    expect(evaluateVendor(consent, vendor).allowed).toBe(allowed);
  });
});

describe("evaluateIntegration", () => {
  const braze = { vendor: "braze", purposes: ["email_marketing", "push_notifications"] } as const;

  it("allows everything when nothing is recorded", () => {
    expect(evaluateIntegration(null, braze)).toEqual({ allowed: true });
  });

  it("needs the vendor and every purpose the integration uses", () => {
    const consent = recorded({ email_marketing: true, push_notifications: true }, { braze: true });
    expect(evaluateIntegration(consent, braze)).toEqual({ allowed: true });
  });

  it("names each thing that blocks", () => {
    const consent = recorded({ email_marketing: true, push_notifications: false }, { braze: false });
    expect(evaluateIntegration(consent, braze)).toEqual({
      allowed: false,
      blockedBy: [
        { kind: "vendor", vendor: "braze" },
        { kind: "purpose", purpose: "push_notifications" },
      ],
    });
  });

  it("blocks on an allowed vendor when one purpose is not named", () => {
    const consent = recorded({ email_marketing: true }, { braze: true });
    expect(evaluateIntegration(consent, braze)).toMatchObject({ allowed: false });
  });
});
