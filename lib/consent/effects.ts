import { plural } from "../format.ts";
import { everyPurpose, sortedVendors, vendorKey, type ConsentKey, type ConsentState, type RecordedConsent } from "./model.ts";
import { PURPOSES, type Purpose } from "./purposes.ts";
import type { ConsentPatch, FirstChangeMode } from "./record.ts";
import { evaluateIntegration, evaluatePurpose, type IntegrationGate } from "./rules.ts";

// The pieces of a change's plan (plan.ts), computed without a database.

/**
 * Rule 4: the purposes and vendors a patch names change, the others keep
 * their recorded value. From "not recorded", `block_unnamed` leaves the
 * unnamed ones unnamed (blocked); `keep_allowed` records them as allowed.
 */
export function applyConsentPatch(
  before: ConsentState,
  patch: Pick<ConsentPatch, "purposes" | "vendors">,
  mode: FirstChangeMode,
  knownVendors: readonly string[],
): RecordedConsent {
  const keepAllowed = before === null && mode === "keep_allowed";
  const purposes = everyPurpose(null);
  for (const purpose of PURPOSES) {
    const named = patch.purposes?.[purpose];
    if (named !== undefined) purposes[purpose] = named;
    else if (before !== null) purposes[purpose] = before.purposes[purpose];
    else purposes[purpose] = keepAllowed ? true : null;
  }
  const vendors: Record<string, boolean> = keepAllowed
    ? Object.fromEntries(knownVendors.map((v) => [v, true]))
    : { ...(before?.vendors ?? {}) };
  for (const [vendor, value] of Object.entries(patch.vendors ?? {})) vendors[vendor] = value;
  return { purposes, vendors: sortedVendors(vendors) };
}

export interface ConsentDiff {
  key: ConsentKey;
  /** The stored value before (null: not named; undefined: nothing recorded). */
  before: boolean | null | undefined;
  after: boolean | null;
  /** Whether it is in effect (allowed) before and after: rules 1 and 2. */
  allowedBefore: boolean;
  allowedAfter: boolean;
}

/**
 * Every purpose and vendor whose stored value changes. A first recording
 * changes every purpose and every known vendor (from "not recorded", which
 * allowed them), whether or not it names them, and any other vendor it names.
 */
export function diffConsent(before: ConsentState, after: RecordedConsent, knownVendors: readonly string[] = []): ConsentDiff[] {
  const diffs: ConsentDiff[] = [];
  for (const purpose of PURPOSES) {
    const was = before === null ? undefined : before.purposes[purpose];
    const now = after.purposes[purpose];
    if (before !== null && was === now) continue;
    diffs.push({ key: purpose, before: was, after: now, allowedBefore: before === null || was === true, allowedAfter: now === true });
  }
  const vendors = new Set([...Object.keys(before?.vendors ?? {}), ...Object.keys(after.vendors), ...(before === null ? knownVendors : [])]);
  for (const vendor of [...vendors].sort()) {
    const was = before === null ? undefined : Object.hasOwn(before.vendors, vendor) ? before.vendors[vendor]! : null;
    const now = Object.hasOwn(after.vendors, vendor) ? after.vendors[vendor]! : null;
    if (before !== null && was === now) continue;
    diffs.push({
      key: vendorKey(vendor),
      before: was,
      after: now,
      allowedBefore: before === null || was === true,
      allowedAfter: now === true,
    });
  }
  return diffs;
}

export type ContactEffect = "clear" | "restore" | null;

export interface IntegrationRef extends IntegrationGate {
  id: string;
  name: string;
  /** false: paused; its signals wait in its queue until it is resumed. Absent: connected. */
  enabled?: boolean;
}

export interface IntegrationEffect {
  id: string;
  name: string;
  vendor: string;
  allowed: boolean;
  /** What blocks it after the change (empty when allowed). */
  blockedBy: string[];
  /** Paused: told when it is resumed. */
  paused: boolean;
}

export interface ConsentEffects {
  /** email_marketing: clear the email copy on every audience membership, or restore it. */
  email: ContactEffect;
  /** push_notifications: the same for the push token. */
  push: ContactEffect;
  /** Integrations whose sync decision (rule 3) changes: each gets a consent-change signal. */
  integrations: IntegrationEffect[];
}

function contactEffect(before: ConsentState, after: ConsentState, purpose: Purpose): ContactEffect {
  const was = evaluatePurpose(before, purpose).allowed;
  const now = evaluatePurpose(after, purpose).allowed;
  return was === now ? null : now ? "restore" : "clear";
}

/** The effects PRODUCT.md lists for a change, from the decisions in effect before and after. */
export function consentEffects(before: ConsentState, after: ConsentState, integrations: readonly IntegrationRef[]): ConsentEffects {
  const changed: IntegrationEffect[] = [];
  for (const integration of integrations) {
    const was = evaluateIntegration(before, integration);
    const now = evaluateIntegration(after, integration);
    if (was.allowed === now.allowed) continue;
    changed.push({
      id: integration.id,
      name: integration.name,
      vendor: integration.vendor,
      allowed: now.allowed,
      blockedBy: now.allowed ? [] : now.blockedBy.map((b) => (b.kind === "vendor" ? vendorKey(b.vendor) : b.purpose)),
      paused: integration.enabled === false,
    });
  }
  return {
    email: contactEffect(before, after, "email_marketing"),
    push: contactEffect(before, after, "push_notifications"),
    integrations: changed,
  };
}

/** Audience memberships a contact effect touches, counted from the profile's rows. */
export function membershipsTouched(
  effect: ContactEffect,
  field: "email" | "pushToken",
  memberships: ReadonlyArray<{ email: string | null; pushToken: string | null }>,
  profileValue: string | null,
): number {
  if (effect === "clear") return memberships.filter((m) => m[field] !== null).length;
  if (effect === "restore") return profileValue === null ? 0 : memberships.filter((m) => m[field] !== profileValue).length;
  return 0;
}

/** "A", "A and B", "A, B and C". */
export function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/** The audience-membership contact copies a change clears or restores. */
export function describeContactEffects(effects: Pick<ConsentEffects, "email" | "push">, counts: { email: number; push: number }): string[] {
  const lines: string[] = [];
  const memberships = (n: number) => plural(n, "audience membership");
  const channels = [
    { effect: effects.email, n: counts.email, what: "email", skip: "email" },
    { effect: effects.push, n: counts.push, what: "the push token", skip: "push" },
  ];
  for (const { effect, n, what, skip } of channels) {
    if (effect === "clear") {
      lines.push(n > 0 ? `Clears ${what} on ${memberships(n)}, so sends skip ${skip}.` : `No audience membership holds ${what} to clear.`);
    }
    if (effect === "restore") {
      lines.push(
        n > 0
          ? `Restores ${what} on ${memberships(n)} from the profile.`
          : `No audience membership gets ${what} back (the profile has none, or they hold it already).`,
      );
    }
  }
  return lines;
}

/** The integrations a change signals, and what the signal says. */
export function describeIntegrationEffects(effects: Pick<ConsentEffects, "integrations">): string[] {
  const names = (allowed: boolean, paused: boolean) =>
    effects.integrations.filter((i) => i.allowed === allowed && i.paused === paused).map((i) => i.name);
  const lines: string[] = [];
  for (const allowed of [false, true]) {
    const what = allowed ? "syncing may resume" : "syncing stops";
    const connected = names(allowed, false);
    const paused = names(allowed, true);
    if (connected.length > 0) lines.push(`Notifies ${listNames(connected)}: ${what}.`);
    if (paused.length > 0) lines.push(`Notifies ${listNames(paused)} once resumed (paused now): ${what}.`);
  }
  return lines;
}

/**
 * One sentence per audience and integration effect: "Clears email on 3
 * audience memberships, so sends skip email." "Notifies Braze and Meta
 * Custom Audiences: syncing stops." (describe.ts adds the other purposes'.)
 */
export function describeEffects(effects: ConsentEffects, counts: { email: number; push: number }): string[] {
  return [...describeContactEffects(effects, counts), ...describeIntegrationEffects(effects)];
}
