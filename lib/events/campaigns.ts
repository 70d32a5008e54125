import type { Purpose } from "../consent/purposes.ts";
import { PURPOSES } from "../consent/purposes.ts";
import { evaluatePurpose } from "../consent/rules.ts";
import { type ConsentState } from "../consent/model.ts";

/**
 * What one loyalty event earns under the active campaigns and the customer's
 * consent (PRODUCT.md, "What a consent change does"). Pure: ingest.ts loads
 * the rows and stores the outcome.
 */

export const CAMPAIGN_KINDS = ["points", "tier", "coupon", "punchcard"] as const;
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];

/** A `loyalty_campaigns` row, numbers already parsed. */
export interface Campaign {
  name: string;
  kind: CampaignKind;
  eventType: string;
  points: number;
  pointsPerAmount: number;
  minAmount: number | null;
  reward: string | null;
}

export interface CampaignEvent {
  type: string;
  amount?: number | null;
}

export type EventStatus = "processed" | "partially_withheld" | "withheld";
export interface GrantedReward {
  kind: "coupon" | "punchcard";
  campaign: string;
  reward: string;
}
export interface WithheldReward {
  kind: CampaignKind;
  campaign: string;
  purpose: Purpose;
}

export interface EventOutcome {
  status: EventStatus;
  points: number;
  tierProgress: number;
  rewards: GrantedReward[];
  withheld: WithheldReward[];
  /** "consent:<purpose>" for each purpose that withheld something, comma-joined; null when nothing was. */
  withheldReason: string | null;
}

/** The purpose that gates each reward kind besides behavioral_campaigns, which gates them all. */
const KIND_PURPOSE: Record<CampaignKind, Purpose | null> = {
  points: null,
  tier: null,
  coupon: "coupon_campaigns",
  punchcard: "punchcard_campaigns",
};

// points_awarded and tier_progress are INTEGER columns: a huge amount times a
// huge rate saturates instead of failing the whole batch.
const MAX_INT = 2_147_483_647;

/** Amounts and rates have two decimals: work in cents so 0.29 × 100 is 29, not 28.999…. */
function cents(value: number): bigint {
  return BigInt(Math.round(value * 100));
}

/** `points + floor(amount * points_per_amount)`, exact. */
export function campaignPoints(campaign: Campaign, amount: number): number {
  const earned = (cents(amount) * cents(campaign.pointsPerAmount)) / 10_000n; // both ≥ 0: division floors
  const total = BigInt(campaign.points) + earned;
  return total > BigInt(MAX_INT) ? MAX_INT : Number(total);
}

/**
 * A campaign applies to an event of its type; a campaign with a minimum
 * amount only to events carrying at least that amount (the coupon threshold,
 * and the same gate for any kind that sets one).
 */
export function campaignMatches(campaign: Campaign, event: CampaignEvent): boolean {
  if (campaign.eventType !== event.type) return false;
  if (campaign.minAmount === null) return true;
  return event.amount != null && cents(event.amount) >= cents(campaign.minAmount);
}

function reasonFor(withheld: readonly WithheldReward[]): string | null {
  if (withheld.length === 0) return null;
  const purposes = new Set(withheld.map((w) => w.purpose));
  return PURPOSES.filter((p) => purposes.has(p))
    .map((p) => `consent:${p}`)
    .join(",");
}

/** Decides what `event` earns and what consent withholds; `campaigns` are the active ones, in a stable order. */
export function evaluateEvent(event: CampaignEvent, campaigns: readonly Campaign[], consent: ConsentState): EventOutcome {
  const matched = campaigns.filter((c) => campaignMatches(c, event));
  const amount = event.amount ?? 0;

  // behavioral_campaigns is the processing of the event itself: blocked, the
  // event is stored but earns nothing, even when no campaign matched.
  if (!evaluatePurpose(consent, "behavioral_campaigns").allowed) {
    return {
      status: "withheld",
      points: 0,
      tierProgress: 0,
      rewards: [],
      withheld: matched.map((c) => ({ kind: c.kind, campaign: c.name, purpose: "behavioral_campaigns" })),
      withheldReason: "consent:behavioral_campaigns",
    };
  }

  let points = 0;
  let tierProgress = 0;
  const rewards: GrantedReward[] = [];
  const withheld: WithheldReward[] = [];
  for (const campaign of matched) {
    const purpose = KIND_PURPOSE[campaign.kind];
    if (purpose && !evaluatePurpose(consent, purpose).allowed) {
      withheld.push({ kind: campaign.kind, campaign: campaign.name, purpose });
      continue;
    }
    switch (campaign.kind) {
      case "points":
        points = Math.min(MAX_INT, points + campaignPoints(campaign, amount));
        break;
      case "tier":
        tierProgress = Math.min(MAX_INT, tierProgress + campaignPoints(campaign, amount));
        break;
      case "coupon":
      case "punchcard":
        // A campaign without a reward code grants under its own name.
        rewards.push({ kind: campaign.kind, campaign: campaign.name, reward: campaign.reward ?? campaign.name });
        break;
    }
  }

  const status: EventStatus = withheld.length === 0 ? "processed" : withheld.length < matched.length ? "partially_withheld" : "withheld";
  return { status, points, tierProgress, rewards, withheld, withheldReason: reasonFor(withheld) };
}
