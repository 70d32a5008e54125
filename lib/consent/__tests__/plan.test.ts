import { describe, expect, it } from "vitest";
import { describePlan, type PreviewContext } from "../describe.ts";
import { ConsentInputError } from "../errors.ts";
import { everyPurpose, recordedConsent, vendorKey, vendorNames, type ConsentState } from "../model.ts";
import { planConsentChange, type PlanBase, type PlanIntegration } from "../plan.ts";
import { PURPOSES, type Purpose } from "../purposes.ts";
import type { ConsentPatch, FirstChangeMode } from "../record.ts";
import { evaluateIntegration } from "../rules.ts";

// The plan is what both the save and the dashboard's preview run, so these
// tables pin down every purpose and vendor both ways, the first change in
// both modes, and how disabled integrations are treated.

const INTEGRATIONS: PlanIntegration[] = [
  { id: "m", name: "Meta Custom Audiences", vendor: "meta", purposes: ["behavioral_campaigns", "email_marketing"], enabled: true },
  { id: "b", name: "Braze", vendor: "braze", purposes: ["email_marketing", "push_notifications"], enabled: true },
  { id: "w", name: "Warehouse webhook", vendor: "warehouse", purposes: [], enabled: true },
  { id: "t", name: "TikTok (paused)", vendor: "tiktok", purposes: ["email_marketing"], enabled: false },
];
const ALL_ON = recordedConsent(everyPurpose(true), { meta: true, braze: true, warehouse: true, tiktok: true });

const base = (state: ConsentState, version = state === null ? 0 : 4): PlanBase => ({
  customerId: "00000000-0000-4000-8000-000000000001",
  externalId: "ext-1",
  version,
  state,
  consentTimestamp: state === null ? null : new Date("2026-01-01T00:00:00Z"),
  consentString: null,
  tcf: null,
});
const plan = (state: ConsentState, patch: ConsentPatch, firstChange?: FirstChangeMode) =>
  planConsentChange(base(state), { patch, firstChange, source: "dashboard" }, INTEGRATIONS);

const context: PreviewContext = {
  memberships: [
    { email: "a@x.test", pushToken: "fcm:1" },
    { email: "a@x.test", pushToken: null },
  ],
  profileEmail: "a@x.test",
  profilePushToken: "fcm:1",
  journeys: [{ status: "active" }, { status: "completed" }],
  names: vendorNames(INTEGRATIONS),
};

/** Which integrations each purpose gates (for the expected signals): the paused TikTok too, whose signal waits for its resume. */
const GATED: Record<Purpose, string[]> = {
  behavioral_campaigns: ["m"],
  email_marketing: ["b", "m", "t"],
  push_notifications: ["b"],
  coupon_campaigns: [],
  punchcard_campaigns: [],
  link_tracking: [],
};
/** The sentence each purpose adds to the preview when it is turned off. */
const OFF_LINE: Record<Purpose, RegExp> = {
  behavioral_campaigns: /earn no points, tier progress or campaign rewards/,
  email_marketing: /Journeys skip email steps for this customer \(1 active journey enrolment\)/,
  push_notifications: /Journeys skip push steps/,
  coupon_campaigns: /earn no coupon rewards/,
  punchcard_campaigns: /earn no punch card rewards/,
  link_tracking: /plain links, without tracking/,
};

describe("planConsentChange: each purpose off and back on", () => {
  it.each(PURPOSES)("%s", (purpose) => {
    const off = plan(ALL_ON, { purposes: { [purpose]: false } })!;
    expect(off.version).toBe(5);
    expect(off.after.purposes).toEqual({ ...ALL_ON.purposes, [purpose]: false });
    expect(off.changed).toEqual([purpose]);
    expect(off.diff).toEqual([{ key: purpose, before: true, after: false, allowedBefore: true, allowedAfter: false }]);
    expect(off.effects.email).toBe(purpose === "email_marketing" ? "clear" : null);
    expect(off.effects.push).toBe(purpose === "push_notifications" ? "clear" : null);
    expect(off.signals.map((s) => s.integration_id).sort()).toEqual(GATED[purpose]);
    for (const s of off.signals)
      expect(s.payload).toMatchObject({ allowed: false, blocked_by: [purpose], version: 5, customer_id: "ext-1" });
    expect(off.audit).toEqual({ source: "dashboard", version: 5, changed: [purpose], signals: GATED[purpose].length });
    const lines = describePlan(off, context);
    expect(lines[0]).toBe(`Blocks ${labelOf(purpose)}.`);
    expect(lines.some((l) => OFF_LINE[purpose].test(l))).toBe(true);

    const on = plan(off.after, { purposes: { [purpose]: true } })!;
    expect(on.effects.email).toBe(purpose === "email_marketing" ? "restore" : null);
    expect(on.effects.push).toBe(purpose === "push_notifications" ? "restore" : null);
    expect(on.signals.every((s) => s.payload.allowed)).toBe(true);
    expect(on.signals.map((s) => s.integration_id).sort()).toEqual(GATED[purpose]);
    expect(describePlan(on, context)[0]).toMatch(/^Allows /);
  });

  it("turning behavioral_campaigns off says loyalty rewards stop, not that nothing is affected", () => {
    const lines = describePlan(plan(ALL_ON, { purposes: { behavioral_campaigns: false } }), context);
    expect(lines).toEqual([
      "Blocks Behavioral campaigns.",
      "New loyalty events are still stored but earn no points, tier progress or campaign rewards.",
      "Notifies Meta Custom Audiences: syncing stops.",
    ]);
  });

  it("email off counts the memberships it clears and the active journeys it reaches", () => {
    expect(describePlan(plan(ALL_ON, { purposes: { email_marketing: false } }), context)).toEqual([
      "Blocks Email marketing.",
      "Journeys skip email steps for this customer (1 active journey enrolment).",
      "Clears email on 2 audience memberships, so sends skip email.",
      "Notifies Meta Custom Audiences and Braze: syncing stops.",
      "Notifies TikTok (paused) once resumed (paused now): syncing stops.",
    ]);
  });
});

describe("planConsentChange: vendors", () => {
  it.each([
    ["meta", ["m"]],
    ["braze", ["b"]],
    ["warehouse", ["w"]],
    // A paused integration is signalled too: its signal waits in its queue until it is resumed.
    ["tiktok", ["t"]],
  ])("%s off signals %j", (vendor, signalled) => {
    const off = plan(ALL_ON, { vendors: { [vendor]: false } })!;
    expect(off.after.vendors[vendor]).toBe(false);
    expect(off.changed).toEqual([vendorKey(vendor)]);
    expect(off.signals.map((s) => s.integration_id)).toEqual(signalled);
    for (const s of off.signals) expect(s.payload.blocked_by).toEqual([vendorKey(vendor)]);
    const name = INTEGRATIONS.find((i) => i.vendor === vendor)!.name;
    expect(describePlan(off, context)[0]).toBe(`Blocks ${name}.`);
  });

  it("refuses a vendor no integration has, by field", () => {
    expect(() => plan(ALL_ON, { vendors: { snapchat: true } })).toThrow(ConsentInputError);
    try {
      plan(ALL_ON, { vendors: { snapchat: true } });
    } catch (error) {
      expect((error as ConsentInputError).fields).toEqual({ "vendors.snapchat": expect.stringContaining("snapchat") });
    }
  });
});

describe("planConsentChange: a first change", () => {
  it("block_unnamed leaves every other purpose and vendor unnamed, and the preview lists every one it blocks", () => {
    const first = plan(null, { purposes: { link_tracking: true } }, "block_unnamed")!;
    expect(first.version).toBe(1);
    expect(first.after).toEqual(recordedConsent({ link_tracking: true }));
    // Every purpose and every integration's vendor goes from "not recorded" (allowed) to not named: all in the history.
    expect(first.changed).toEqual([...PURPOSES, "vendors.braze", "vendors.meta", "vendors.tiktok", "vendors.warehouse"]);
    expect(first.effects).toMatchObject({ email: "clear", push: "clear" });
    expect(first.signals.map((s) => s.integration_id).sort()).toEqual(["b", "m", "t", "w"]);
    const lines = describePlan(first, context);
    expect(lines[0]).toBe(
      "Blocks Behavioral campaigns, Email marketing, Push notifications, Coupon campaigns, Punch card campaigns, " +
        "Braze, Meta Custom Audiences, TikTok (paused) and Warehouse webhook.",
    );
    for (const purpose of PURPOSES.filter((p) => p !== "link_tracking")) {
      expect(lines.some((l) => OFF_LINE[purpose].test(l))).toBe(true);
    }
  });

  it("keep_allowed records every other purpose and every integration's vendor allowed, paused ones too: nothing changes in effect", () => {
    const first = plan(null, { purposes: { link_tracking: false } }, "keep_allowed")!;
    expect(first.after).toEqual(
      recordedConsent({ ...everyPurpose(true), link_tracking: false }, { meta: true, braze: true, warehouse: true, tiktok: true }),
    );
    // The paused integration stays allowed, as it was: resuming it needs no new consent.
    expect(evaluateIntegration(first.after, { ...INTEGRATIONS[3]!, purposes: ["email_marketing"] }).allowed).toBe(true);
    expect(first.effects).toEqual({ email: null, push: null, integrations: [] });
    expect(describePlan(first, context)).toEqual([
      "Blocks Link tracking.",
      "Records Behavioral campaigns, Email marketing, Push notifications, Coupon campaigns, Punch card campaigns, " +
        "Braze, Meta Custom Audiences, TikTok (paused) and Warehouse webhook as allowed, as in effect now.",
      "Messages to this customer carry plain links, without tracking.",
    ]);
  });

  it("keep_allowed means nothing once a record exists", () => {
    const state = recordedConsent({ email_marketing: true });
    expect(plan(state, { vendors: { braze: true } }, "keep_allowed")!.after).toEqual(
      recordedConsent({ email_marketing: true }, { braze: true }),
    );
  });
});

describe("planConsentChange: what is not a change", () => {
  it("a patch that repeats the stored values plans nothing", () => {
    expect(plan(ALL_ON, { purposes: { email_marketing: true }, vendors: { meta: true } })).toBeNull();
    expect(describePlan(null, context)).toEqual([]);
  });

  it("a stored-only change (not named to false) is recorded and says nothing else changes", () => {
    const state = recordedConsent({ ...everyPurpose(true), coupon_campaigns: null });
    const p = plan(state, { purposes: { coupon_campaigns: false } })!;
    expect(p.diff).toEqual([{ key: "coupon_campaigns", before: null, after: false, allowedBefore: false, allowedAfter: false }]);
    expect(describePlan(p, context)).toEqual([
      "Records Coupon campaigns explicitly, with no change in effect.",
      "No audience, journey, loyalty reward or integration is affected.",
    ]);
  });

  it("stamps a new version with its recording time unless the client gives one, which is listed when it changes", () => {
    // Null: the write stamps the time it records this version.
    expect(plan(ALL_ON, { purposes: { email_marketing: false } })!.consentTimestamp).toBeNull();
    expect(plan(ALL_ON, { purposes: { email_marketing: false } })!.changed).toEqual(["email_marketing"]);
    expect(plan(null, { purposes: { email_marketing: true } })!.consentTimestamp).toBeNull();
    const at = new Date("2026-06-01T12:00:00Z");
    const given = plan(ALL_ON, { purposes: { email_marketing: false }, consentTimestamp: at })!;
    expect(given.consentTimestamp).toEqual(at);
    expect(given.changed).toEqual(["email_marketing", "consent_timestamp"]);
    // Only a timestamp: the version is the client's correction of when consent was given.
    const only = plan(ALL_ON, { consentTimestamp: at })!;
    expect(only.changed).toEqual(["consent_timestamp"]);
    expect(only.consentTimestamp).toEqual(at);
    // The same timestamp again, and nothing else: no change at all.
    expect(plan(ALL_ON, { consentTimestamp: new Date("2026-01-01T00:00:00Z") })).toBeNull();
  });
});

function labelOf(purpose: Purpose): string {
  return {
    behavioral_campaigns: "Behavioral campaigns",
    email_marketing: "Email marketing",
    push_notifications: "Push notifications",
    coupon_campaigns: "Coupon campaigns",
    punchcard_campaigns: "Punch card campaigns",
    link_tracking: "Link tracking",
  }[purpose];
}

describe("describePlan: nothing beyond the record", () => {
  it("a vendor of a paused integration: blocked, and it is told once resumed", () => {
    expect(describePlan(plan(ALL_ON, { vendors: { tiktok: false } }), context)).toEqual([
      "Blocks TikTok (paused).",
      "Notifies TikTok (paused) once resumed (paused now): syncing stops.",
    ]);
  });
});
