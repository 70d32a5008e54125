import { plural } from "../format.ts";
import { describeContactEffects, describeIntegrationEffects, listNames, membershipsTouched } from "./effects.ts";
import { consentKeyLabel, type VendorNames } from "./model.ts";
import type { ConsentPlan } from "./plan.ts";
import { PURPOSES, type Purpose } from "./purposes.ts";

// The preview's sentences: everything a plan (plan.ts) does, in words a
// marketer reads before saving. PRODUCT.md, "What a consent change does".

/** What the profile knows that the sentences count. */
export interface PreviewContext {
  memberships: ReadonlyArray<{ email: string | null; pushToken: string | null }>;
  profileEmail: string | null;
  profilePushToken: string | null;
  /** The customer's journey enrolments; active ones are the ones a channel change reaches. */
  journeys: ReadonlyArray<{ status: string }>;
  names: VendorNames;
}

type Direction = "off" | "on";

/** Per purpose, what turning it off or back on does beyond audiences and integrations. */
const PURPOSE_CONSEQUENCE: Record<Purpose, (direction: Direction, context: PreviewContext) => string> = {
  behavioral_campaigns: (d) =>
    d === "off"
      ? "New loyalty events are still stored but earn no points, tier progress or campaign rewards."
      : "New loyalty events earn points, tier progress and campaign rewards again.",
  email_marketing: (d, context) => journeyLine("email", d, context),
  push_notifications: (d, context) => journeyLine("push", d, context),
  coupon_campaigns: (d) =>
    d === "off" ? "New loyalty events earn no coupon rewards." : "New loyalty events can earn coupon rewards again.",
  punchcard_campaigns: (d) =>
    d === "off" ? "New loyalty events earn no punch card rewards." : "New loyalty events can earn punch card rewards again.",
  link_tracking: (d) =>
    d === "off" ? "Messages to this customer carry plain links, without tracking." : "Messages to this customer carry tracked links again.",
};

function journeyLine(channel: "email" | "push", direction: Direction, context: PreviewContext): string {
  const active = context.journeys.filter((j) => j.status === "active").length;
  const enrolments = active > 0 ? plural(active, "active journey enrolment") : "none active now";
  return direction === "off"
    ? `Journeys skip ${channel} steps for this customer (${enrolments}).`
    : `Journeys send ${channel} steps to this customer again (${enrolments}).`;
}

/**
 * Every effect of the plan, one sentence each: what becomes blocked or
 * allowed, then what that does to loyalty, rewards, links, journeys,
 * audience memberships and integrations. Empty for a plan of nothing.
 */
export function describePlan(plan: ConsentPlan | null, context: PreviewContext): string[] {
  if (plan === null) return [];
  const label = (key: string) => consentKeyLabel(key, context.names);
  const blocks = plan.diff.filter((d) => d.allowedBefore && !d.allowedAfter).map((d) => label(d.key));
  const allows = plan.diff.filter((d) => !d.allowedBefore && d.allowedAfter).map((d) => label(d.key));
  const unchanged = plan.diff.filter((d) => d.allowedBefore === d.allowedAfter);
  // A first recording that keeps the rest allowed writes down what was in effect.
  const keptAllowed = unchanged.filter((d) => d.before === undefined).map((d) => label(d.key));
  const storedOnly = unchanged.filter((d) => d.before !== undefined).map((d) => label(d.key));

  const lines: string[] = [];
  if (blocks.length > 0) lines.push(`Blocks ${listNames(blocks)}.`);
  if (allows.length > 0) lines.push(`Allows ${listNames(allows)}.`);
  if (keptAllowed.length > 0) lines.push(`Records ${listNames(keptAllowed)} as allowed, as in effect now.`);
  if (storedOnly.length > 0) lines.push(`Records ${listNames(storedOnly)} explicitly, with no change in effect.`);
  const summaries = lines.length;

  for (const purpose of PURPOSES) {
    const d = plan.diff.find((entry) => entry.key === purpose);
    if (!d || d.allowedBefore === d.allowedAfter) continue;
    lines.push(PURPOSE_CONSEQUENCE[purpose](d.allowedAfter ? "on" : "off", context));
  }

  const { effects } = plan;
  lines.push(
    ...describeContactEffects(effects, {
      email: membershipsTouched(effects.email, "email", context.memberships, context.profileEmail),
      push: membershipsTouched(effects.push, "pushToken", context.memberships, context.profilePushToken),
    }),
    ...describeIntegrationEffects(effects),
  );
  if (lines.length === summaries && plan.diff.length > 0) {
    lines.push("No audience, journey, loyalty reward or integration is affected.");
  }
  return lines;
}
