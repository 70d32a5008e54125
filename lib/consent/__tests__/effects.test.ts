import { describe, expect, it } from "vitest";
import { applyConsentPatch, consentEffects, describeEffects, diffConsent, membershipsTouched, type IntegrationRef } from "../effects.ts";
import { recordedConsent, type ConsentState } from "../model.ts";

const INTEGRATIONS: IntegrationRef[] = [
  { id: "m", name: "Meta", vendor: "meta", purposes: ["behavioral_campaigns", "email_marketing"] },
  { id: "b", name: "Braze", vendor: "braze", purposes: ["email_marketing", "push_notifications"] },
  { id: "w", name: "Warehouse", vendor: "warehouse", purposes: [] },
];
const ALL_ON: ConsentState = {
  purposes: {
    behavioral_campaigns: true,
    email_marketing: true,
    push_notifications: true,
    coupon_campaigns: true,
    punchcard_campaigns: true,
    link_tracking: true,
  },
  vendors: { meta: true, braze: true, warehouse: true },
};
const VENDORS = ["braze", "meta", "warehouse"];

describe("applyConsentPatch (rule 4)", () => {
  it.each([
    [
      "a recorded purpose it names changes, the rest keep their value",
      ALL_ON,
      { purposes: { email_marketing: false } },
      "block_unnamed",
      { ...ALL_ON!.purposes, email_marketing: false },
      ALL_ON!.vendors,
    ],
    [
      "from not recorded, what it does not name is left unnamed (blocked)",
      null,
      { purposes: { email_marketing: true } },
      "block_unnamed",
      {
        behavioral_campaigns: null,
        email_marketing: true,
        push_notifications: null,
        coupon_campaigns: null,
        punchcard_campaigns: null,
        link_tracking: null,
      },
      {},
    ],
    [
      "from not recorded with keep_allowed, everything else is recorded as allowed",
      null,
      { purposes: { email_marketing: false }, vendors: { meta: false } },
      "keep_allowed",
      { ...ALL_ON!.purposes, email_marketing: false },
      { braze: true, meta: false, warehouse: true },
    ],
    [
      "keep_allowed means nothing once a record exists",
      recordedConsent({ email_marketing: true }),
      { vendors: { braze: true } },
      "keep_allowed",
      {
        behavioral_campaigns: null,
        email_marketing: true,
        push_notifications: null,
        coupon_campaigns: null,
        punchcard_campaigns: null,
        link_tracking: null,
      },
      { braze: true },
    ],
  ] as const)("%s", (_name, before, patch, mode, purposes, vendors) => {
    expect(applyConsentPatch(before, patch, mode, VENDORS)).toEqual({ purposes, vendors });
  });
});

describe("diffConsent", () => {
  it("lists only what changed on a record", () => {
    const after = applyConsentPatch(ALL_ON, { purposes: { email_marketing: false }, vendors: { meta: false } }, "block_unnamed", VENDORS);
    expect(diffConsent(ALL_ON, after)).toEqual([
      { key: "email_marketing", before: true, after: false, allowedBefore: true, allowedAfter: false },
      { key: "vendors.meta", before: true, after: false, allowedBefore: true, allowedAfter: false },
    ]);
  });
  it("lists every purpose and each named vendor on a first recording", () => {
    const after = applyConsentPatch(null, { vendors: { braze: true } }, "block_unnamed", VENDORS);
    expect(diffConsent(null, after).map((d) => d.key)).toEqual([
      "behavioral_campaigns",
      "email_marketing",
      "push_notifications",
      "coupon_campaigns",
      "punchcard_campaigns",
      "link_tracking",
      "vendors.braze",
    ]);
  });
});

describe("consentEffects", () => {
  const off = (patch: Parameters<typeof applyConsentPatch>[1], before: ConsentState = ALL_ON) =>
    consentEffects(before, applyConsentPatch(before, patch, "block_unnamed", VENDORS), INTEGRATIONS);

  it.each([
    [
      "email_marketing off: clear email, notify every integration using it",
      { purposes: { email_marketing: false } },
      "clear",
      null,
      ["Braze", "Meta"],
    ],
    ["push_notifications off: clear push, notify Braze", { purposes: { push_notifications: false } }, null, "clear", ["Braze"]],
    ["a vendor off: that integration only", { vendors: { warehouse: false } }, null, null, ["Warehouse"]],
    ["a purpose no integration uses: nothing to notify", { purposes: { coupon_campaigns: false } }, null, null, []],
  ] as const)("%s", (_name, patch, email, push, notified) => {
    const effects = off(patch);
    expect(effects.email).toBe(email);
    expect(effects.push).toBe(push);
    expect(effects.integrations.map((i) => i.name).sort()).toEqual(notified);
    expect(effects.integrations.every((i) => !i.allowed)).toBe(true);
  });

  it("turning back on restores and notifies that syncing may resume", () => {
    const blocked = applyConsentPatch(ALL_ON, { purposes: { email_marketing: false } }, "block_unnamed", VENDORS);
    const effects = consentEffects(blocked, ALL_ON, INTEGRATIONS);
    expect(effects.email).toBe("restore");
    expect(effects.integrations.map((i) => [i.name, i.allowed])).toEqual([
      ["Meta", true],
      ["Braze", true],
    ]);
  });

  it("an integration already blocked by its vendor is not notified again when a purpose goes off", () => {
    const noMeta = applyConsentPatch(ALL_ON, { vendors: { meta: false } }, "block_unnamed", VENDORS);
    expect(off({ purposes: { behavioral_campaigns: false } }, noMeta).integrations).toEqual([]);
  });

  it("describes the effects as the preview shows them", () => {
    const effects = off({ purposes: { email_marketing: false } });
    const counts = {
      email: membershipsTouched(
        effects.email,
        "email",
        [
          { email: "a@x", pushToken: null },
          { email: "a@x", pushToken: null },
          { email: null, pushToken: null },
        ],
        "a@x",
      ),
      push: 0,
    };
    expect(describeEffects(effects, counts)).toEqual([
      "Clears email on 2 audience memberships, so sends skip email.",
      "Notifies Meta and Braze: syncing stops.",
    ]);
  });
});
