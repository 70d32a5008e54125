import { describe, expect, it } from "vitest";
import type { Purpose } from "../../consent/purposes.ts";
import { recordedConsent, type ConsentState } from "../../consent/model.ts";
import { DEMO_CAMPAIGNS } from "../../seed/reference.ts";
import { campaignMatches, campaignPoints, evaluateEvent, type Campaign, type EventOutcome } from "../campaigns.ts";

const campaign = (over: Partial<Campaign> & Pick<Campaign, "name" | "kind">): Campaign => ({
  eventType: "purchase",
  points: 0,
  pointsPerAmount: 0,
  minAmount: null,
  reward: null,
  ...over,
});
const CAMPAIGNS: Campaign[] = DEMO_CAMPAIGNS.map((c) => ({ ...c }));

const ALL_ON = { behavioral_campaigns: true, coupon_campaigns: true, punchcard_campaigns: true } as const;
const recorded = (purposes: Partial<Record<Purpose, boolean | null>>): ConsentState => recordedConsent(purposes);

const coupon = { kind: "coupon", campaign: "Coupon over 50", reward: "SAVE10" } as const;
const punch = { kind: "punchcard", campaign: "Coffee punch card", reward: "coffee-card" } as const;
const withheld = (kind: Campaign["kind"], name: string, purpose: Purpose) => ({ kind, campaign: name, purpose });

describe("evaluateEvent", () => {
  it.each<[string, { type: string; amount?: number | null }, ConsentState, EventOutcome]>([
    [
      "not recorded: everything allowed",
      { type: "purchase", amount: 60 },
      null,
      { status: "processed", points: 60, tierProgress: 60, rewards: [coupon, punch], withheld: [], withheldReason: null },
    ],
    [
      "recorded, every purpose true: everything allowed",
      { type: "purchase", amount: 60 },
      recorded(ALL_ON),
      { status: "processed", points: 60, tierProgress: 60, rewards: [coupon, punch], withheld: [], withheldReason: null },
    ],
    [
      "behavioral_campaigns false: nothing earned, every matched campaign withheld",
      { type: "purchase", amount: 60 },
      recorded({ ...ALL_ON, behavioral_campaigns: false }),
      {
        status: "withheld",
        points: 0,
        tierProgress: 0,
        rewards: [],
        withheld: [
          withheld("points", "Points per purchase", "behavioral_campaigns"),
          withheld("tier", "Tier progress on purchase", "behavioral_campaigns"),
          withheld("coupon", "Coupon over 50", "behavioral_campaigns"),
          withheld("punchcard", "Coffee punch card", "behavioral_campaigns"),
        ],
        withheldReason: "consent:behavioral_campaigns",
      },
    ],
    [
      "recorded with behavioral_campaigns absent: blocked like false",
      { type: "check_in" },
      recorded({ coupon_campaigns: true, punchcard_campaigns: true }),
      {
        status: "withheld",
        points: 0,
        tierProgress: 0,
        rewards: [],
        withheld: [withheld("points", "Check-in bonus", "behavioral_campaigns")],
        withheldReason: "consent:behavioral_campaigns",
      },
    ],
    [
      "recorded with behavioral_campaigns null: blocked",
      { type: "check_in" },
      recorded({ ...ALL_ON, behavioral_campaigns: null }),
      {
        status: "withheld",
        points: 0,
        tierProgress: 0,
        rewards: [],
        withheld: [withheld("points", "Check-in bonus", "behavioral_campaigns")],
        withheldReason: "consent:behavioral_campaigns",
      },
    ],
    [
      "behavioral blocked and nothing matched: still withheld, with the reason",
      { type: "visit" },
      recorded({}),
      { status: "withheld", points: 0, tierProgress: 0, rewards: [], withheld: [], withheldReason: "consent:behavioral_campaigns" },
    ],
    [
      "coupon_campaigns false: the coupon withheld, points, tier and punch granted",
      { type: "purchase", amount: 60 },
      recorded({ ...ALL_ON, coupon_campaigns: false }),
      {
        status: "partially_withheld",
        points: 60,
        tierProgress: 60,
        rewards: [punch],
        withheld: [withheld("coupon", "Coupon over 50", "coupon_campaigns")],
        withheldReason: "consent:coupon_campaigns",
      },
    ],
    [
      "recorded with coupon_campaigns absent: the coupon withheld",
      { type: "purchase", amount: 60 },
      recorded({ behavioral_campaigns: true, punchcard_campaigns: true }),
      {
        status: "partially_withheld",
        points: 60,
        tierProgress: 60,
        rewards: [punch],
        withheld: [withheld("coupon", "Coupon over 50", "coupon_campaigns")],
        withheldReason: "consent:coupon_campaigns",
      },
    ],
    [
      "punchcard_campaigns false: the punch withheld",
      { type: "purchase", amount: 20 },
      recorded({ ...ALL_ON, punchcard_campaigns: false }),
      {
        status: "partially_withheld",
        points: 20,
        tierProgress: 20,
        rewards: [],
        withheld: [withheld("punchcard", "Coffee punch card", "punchcard_campaigns")],
        withheldReason: "consent:punchcard_campaigns",
      },
    ],
    [
      "coupon and punch card both blocked: both named, in catalogue order",
      { type: "purchase", amount: 75.5 },
      recorded({ behavioral_campaigns: true }),
      {
        status: "partially_withheld",
        points: 75,
        tierProgress: 75,
        rewards: [],
        withheld: [
          withheld("coupon", "Coupon over 50", "coupon_campaigns"),
          withheld("punchcard", "Coffee punch card", "punchcard_campaigns"),
        ],
        withheldReason: "consent:coupon_campaigns,consent:punchcard_campaigns",
      },
    ],
    [
      "coupon below min_amount: not matched, so nothing to withhold",
      { type: "purchase", amount: 49.99 },
      recorded({ behavioral_campaigns: true, punchcard_campaigns: true }),
      { status: "processed", points: 49, tierProgress: 49, rewards: [punch], withheld: [], withheldReason: null },
    ],
    [
      "coupon at exactly min_amount: granted",
      { type: "purchase", amount: 50 },
      null,
      { status: "processed", points: 50, tierProgress: 50, rewards: [coupon, punch], withheld: [], withheldReason: null },
    ],
    [
      "no amount: rate campaigns earn 0, the coupon needs an amount",
      { type: "purchase" },
      null,
      { status: "processed", points: 0, tierProgress: 0, rewards: [punch], withheld: [], withheldReason: null },
    ],
    [
      "fixed points for a type without an amount",
      { type: "check_in" },
      null,
      { status: "processed", points: 10, tierProgress: 0, rewards: [], withheld: [], withheldReason: null },
    ],
    [
      "nothing matched, allowed: processed with nothing earned",
      { type: "visit", amount: 100 },
      null,
      { status: "processed", points: 0, tierProgress: 0, rewards: [], withheld: [], withheldReason: null },
    ],
    [
      "nothing matched, coupons blocked: processed, nothing withheld",
      { type: "visit" },
      recorded({ behavioral_campaigns: true }),
      { status: "processed", points: 0, tierProgress: 0, rewards: [], withheld: [], withheldReason: null },
    ],
  ])("%s", (_name, event, consent, expected) => {
    expect(evaluateEvent(event, CAMPAIGNS, consent)).toEqual(expected);
  });

  it("withheld when every matched campaign is withheld, partially when only a part is", () => {
    const only = [campaign({ name: "Coupon", kind: "coupon", reward: "C1" }), campaign({ name: "Punch", kind: "punchcard", reward: "P1" })];
    const noRewards = recorded({ behavioral_campaigns: true });
    expect(evaluateEvent({ type: "purchase", amount: 1 }, only, noRewards)).toMatchObject({
      status: "withheld",
      withheldReason: "consent:coupon_campaigns,consent:punchcard_campaigns",
    });
    expect(
      evaluateEvent({ type: "purchase", amount: 1 }, only, recorded({ behavioral_campaigns: true, coupon_campaigns: true })),
    ).toMatchObject({
      status: "partially_withheld",
      rewards: [{ kind: "coupon", campaign: "Coupon", reward: "C1" }],
      withheldReason: "consent:punchcard_campaigns",
    });
  });

  it("sums several campaigns of a kind", () => {
    const list = [
      campaign({ name: "A", kind: "points", points: 5, pointsPerAmount: 2 }),
      campaign({ name: "B", kind: "points", points: 1, pointsPerAmount: 0.5 }),
      campaign({ name: "T1", kind: "tier", points: 3 }),
      campaign({ name: "T2", kind: "tier", pointsPerAmount: 0.1 }),
      campaign({ name: "Other type", kind: "points", eventType: "refund", points: 1000 }),
    ];
    // A: 5 + floor(10.5 × 2) = 26; B: 1 + floor(5.25) = 6; T1: 3; T2: floor(1.05) = 1.
    expect(evaluateEvent({ type: "purchase", amount: 10.5 }, list, null)).toMatchObject({ points: 32, tierProgress: 4 });
  });

  it("names a reward after its campaign when the campaign has no reward code", () => {
    const list = [campaign({ name: "Loose card", kind: "punchcard" })];
    expect(evaluateEvent({ type: "purchase" }, list, null).rewards).toEqual([
      { kind: "punchcard", campaign: "Loose card", reward: "Loose card" },
    ]);
  });
});

describe("campaignPoints", () => {
  it.each([
    ["floors the product", 0, 1, 19.99, 19],
    ["is exact where floating point is not (0.29 × 100)", 0, 100, 0.29, 29],
    ["adds the fixed points", 10, 1.5, 3, 14],
    ["large amounts stay exact", 0, 0.01, 999_999_999.99, 9_999_999],
    ["saturates at the INTEGER column's maximum", 0, 999_999.99, 1e9, 2_147_483_647],
  ])("%s", (_name, points, pointsPerAmount, amount, expected) => {
    expect(campaignPoints(campaign({ name: "x", kind: "points", points, pointsPerAmount }), amount)).toBe(expected);
  });
});

describe("campaignMatches", () => {
  const min = campaign({ name: "m", kind: "coupon", minAmount: 50 });
  it.each([
    ["another event type", { type: "refund", amount: 100 }, false],
    ["no minimum", { type: "purchase" }, true],
    ["below the minimum", { type: "purchase", amount: 49.99 }, false],
    ["at the minimum", { type: "purchase", amount: 50 }, true],
    ["no amount against a minimum", { type: "purchase", amount: null }, false],
  ] as const)("%s", (name, event, expected) => {
    expect(campaignMatches(name === "no minimum" ? { ...min, minAmount: null } : min, event)).toBe(expected);
  });
});
