import type { Role } from "../auth/permissions.ts";

/**
 * Fixed reference data and demo customers for the seed. The demo
 * integrations' signing secrets are fixed and public (the demo receiver,
 * scripts/demo-receiver.ts, verifies with them): rotate them on any database
 * that is not a demo. Ids are fixed so the
 * seed is idempotent and tests and the README can name them.
 */
export const DEMO_INTEGRATIONS = [
  {
    id: "00000000-0000-4000-8000-00000000a001",
    name: "Meta Custom Audiences",
    vendor: "meta",
    endpoint: "http://127.0.0.1:4010/hooks/meta",
    signingSecret: "whsec_ZGVtby1tZXRhLXNpZ25pbmctc2VjcmV0LTMyYnl0ZXM=",
    purposes: ["behavioral_campaigns", "email_marketing"],
  },
  {
    id: "00000000-0000-4000-8000-00000000a002",
    name: "Braze",
    vendor: "braze",
    endpoint: "http://127.0.0.1:4010/hooks/braze",
    signingSecret: "whsec_ZGVtby1icmF6ZS1zaWduaW5nLXNlY3JldC0zMmJ5dGVz",
    purposes: ["email_marketing", "push_notifications"],
  },
  {
    id: "00000000-0000-4000-8000-00000000a003",
    name: "Warehouse webhook",
    vendor: "warehouse",
    endpoint: "http://127.0.0.1:4010/hooks/warehouse",
    signingSecret: "whsec_ZGVtby13YXJlaG91c2Utc2lnbmluZy1zZWNyZXQtMzI=",
    purposes: [],
  },
] as const;

export const DEMO_AUDIENCES = [
  "VIP members",
  "Lapsed 90 days",
  "New this month",
  "Coffee lovers",
  "Weekend shoppers",
  "Birthday this month",
  "High spenders",
  "App users",
  "Newsletter readers",
  "Store: Downtown",
  "Store: Airport",
  "Gold tier",
] as const;

export const DEMO_JOURNEYS = [
  { name: "Welcome series", status: "active" },
  { name: "Win-back", status: "active" },
  { name: "Birthday reward", status: "active" },
  { name: "Tier upgrade nudge", status: "paused" },
  { name: "Post-purchase survey", status: "active" },
  { name: "Holiday 2026", status: "draft" },
] as const;

/**
 * Active loyalty campaigns (lib/events/campaigns.ts decides what they grant).
 * Points and tier progress are `points + floor(amount * pointsPerAmount)`.
 */
export const DEMO_CAMPAIGNS = [
  { name: "Points per purchase", kind: "points", eventType: "purchase", points: 0, pointsPerAmount: 1, minAmount: null, reward: null },
  { name: "Check-in bonus", kind: "points", eventType: "check_in", points: 10, pointsPerAmount: 0, minAmount: null, reward: null },
  { name: "Tier progress on purchase", kind: "tier", eventType: "purchase", points: 0, pointsPerAmount: 1, minAmount: null, reward: null },
  { name: "Coupon over 50", kind: "coupon", eventType: "purchase", points: 0, pointsPerAmount: 0, minAmount: 50, reward: "SAVE10" },
  {
    name: "Coffee punch card",
    kind: "punchcard",
    eventType: "purchase",
    points: 0,
    pointsPerAmount: 0,
    minAmount: null,
    reward: "coffee-card",
  },
] as const;

/**
 * Which browser spec may change a demo customer. Specs run in parallel, so a
 * customer one spec changes is read by no other: "read-only" customers are
 * changed by nobody (any spec may read them); the others belong to the one
 * spec named, which alone reads or changes them.
 */
export type DemoCustomerOwner =
  "read-only" | "e2e/consent.spec.ts" | "e2e/consent-panel.spec.ts" | "e2e/integrations.spec.ts" | "e2e/deletion-dialog.spec.ts";

/** Audiences the read-only demo customers join; the audience specs read them (totals and members). */
const READ_ONLY_AUDIENCES = ["VIP members", "Coffee lovers", "Newsletter readers"] as const;
/** Audiences the changeable demo customers join: three too, but none a spec reads as a whole. */
const OWNED_AUDIENCES = ["Weekend shoppers", "App users", "Gold tier"] as const;

/** Every purpose and every demo integration's vendor recorded as allowed. */
const EVERYTHING_ALLOWED = {
  behavioral_campaigns: true,
  email_marketing: true,
  push_notifications: true,
  coupon_campaigns: true,
  punchcard_campaigns: true,
  link_tracking: true,
  vendors: { meta: true, braze: true, warehouse: true },
} as const;

const ana = {
  id: "00000000-0000-4000-8000-000000000001",
  externalId: "demo-ana",
  name: "Ana López",
  email: "ana.lopez@example.com",
  phone: "+15550100001",
  pushToken: "fcm:demo-ana",
  consent: null,
  owner: "read-only",
  audiences: READ_ONLY_AUDIENCES,
} as const;

const bruno = {
  id: "00000000-0000-4000-8000-000000000002",
  externalId: "demo-bruno",
  name: "Bruno Silva",
  email: "bruno.silva@example.com",
  phone: "+15550100002",
  pushToken: "fcm:demo-bruno",
  consent: {
    behavioral_campaigns: true,
    email_marketing: false,
    push_notifications: true,
    coupon_campaigns: true,
    punchcard_campaigns: true,
    link_tracking: false,
    vendors: { meta: false, braze: true },
  },
  owner: "read-only",
  audiences: READ_ONLY_AUDIENCES,
} as const;

const chen = {
  id: "00000000-0000-4000-8000-000000000003",
  externalId: "demo-chen",
  name: "Chen Wei",
  email: "chen.wei@example.com",
  phone: "+15550100003",
  pushToken: null,
  consent: { behavioral_campaigns: false, email_marketing: true, vendors: { braze: true } },
  owner: "read-only",
  audiences: READ_ONLY_AUDIENCES,
} as const;

const dana = {
  id: "00000000-0000-4000-8000-000000000004",
  externalId: "demo-dana",
  name: "Dana Okafor",
  email: "dana.okafor@example.com",
  phone: "+15550100004",
  pushToken: "apns:demo-dana",
  consent: EVERYTHING_ALLOWED,
  owner: "e2e/consent.spec.ts",
  audiences: OWNED_AUDIENCES,
} as const;

const eli = {
  // Not recorded, like Ana; e2e/consent.spec.ts records Eli's first consent (Ana stays untouched for the read-only ones).
  id: "00000000-0000-4000-8000-000000000005",
  externalId: "demo-eli",
  name: "Eli Novak",
  email: "eli.novak@example.com",
  phone: "+15550100005",
  pushToken: "fcm:demo-eli",
  consent: null,
  owner: "e2e/consent.spec.ts",
  audiences: OWNED_AUDIENCES,
} as const;

// Reserved for e2e/consent-panel.spec.ts: one per starting state (not recorded,
// all on, some off and a vendor never named).
const farah = {
  id: "00000000-0000-4000-8000-000000000006",
  externalId: "demo-farah",
  name: "Farah Aziz",
  email: "farah.aziz@example.com",
  phone: "+15550100006",
  pushToken: "fcm:demo-farah",
  consent: null,
  owner: "e2e/consent-panel.spec.ts",
  audiences: OWNED_AUDIENCES,
} as const;

const gustavo = {
  id: "00000000-0000-4000-8000-000000000007",
  externalId: "demo-gustavo",
  name: "Gustavo Rossi",
  email: "gustavo.rossi@example.com",
  phone: "+15550100007",
  pushToken: "apns:demo-gustavo",
  consent: EVERYTHING_ALLOWED,
  owner: "e2e/consent-panel.spec.ts",
  audiences: OWNED_AUDIENCES,
} as const;

const hana = {
  id: "00000000-0000-4000-8000-000000000008",
  externalId: "demo-hana",
  name: "Hana Kim",
  email: "hana.kim@example.com",
  phone: "+15550100008",
  pushToken: "fcm:demo-hana",
  consent: {
    behavioral_campaigns: true,
    email_marketing: false,
    push_notifications: true,
    coupon_campaigns: false,
    punchcard_campaigns: true,
    link_tracking: true,
    vendors: { meta: false, braze: true },
  },
  owner: "e2e/consent-panel.spec.ts",
  audiences: OWNED_AUDIENCES,
} as const;

// Customers whose consent was recorded in the last days (`recordedHoursAgo`,
// counted back from when the seed runs), so the integrations pages have a
// recent delivery history: lib/seed/deliveries.ts gives each integration the
// signal their recording queued, and what became of it.
const ALL_ON = {
  behavioral_campaigns: true,
  email_marketing: true,
  push_notifications: true,
  coupon_campaigns: true,
  punchcard_campaigns: true,
  link_tracking: true,
} as const;

// Reserved for e2e/integrations.spec.ts, which retries Braze's failed signal and reads the history's "told" lines.
const iris = {
  id: "00000000-0000-4000-8000-000000000009",
  externalId: "demo-iris",
  name: "Iris Moreau",
  email: "iris.moreau@example.com",
  phone: "+15550100009",
  pushToken: "fcm:demo-iris",
  consent: { ...ALL_ON, email_marketing: false, vendors: { meta: true, braze: true, warehouse: false } },
  recordedHoursAgo: 96,
  owner: "e2e/integrations.spec.ts",
  audiences: OWNED_AUDIENCES,
} as const;

const jonas = {
  id: "00000000-0000-4000-8000-00000000000a",
  externalId: "demo-jonas",
  name: "Jonas Berg",
  email: "jonas.berg@example.com",
  phone: "+15550100010",
  pushToken: "fcm:demo-jonas",
  consent: { ...ALL_ON, vendors: { meta: false, braze: true, warehouse: true } },
  recordedHoursAgo: 144,
  owner: "read-only",
  audiences: OWNED_AUDIENCES,
} as const;

const kemal = {
  id: "00000000-0000-4000-8000-00000000000b",
  externalId: "demo-kemal",
  name: "Kemal Demir",
  email: "kemal.demir@example.com",
  phone: "+15550100011",
  pushToken: "apns:demo-kemal",
  consent: { ...ALL_ON, email_marketing: false, push_notifications: false, vendors: { meta: true, braze: true, warehouse: true } },
  recordedHoursAgo: 72,
  owner: "read-only",
  audiences: OWNED_AUDIENCES,
} as const;

const lena = {
  id: "00000000-0000-4000-8000-00000000000c",
  externalId: "demo-lena",
  name: "Lena Fischer",
  email: "lena.fischer@example.com",
  phone: "+15550100012",
  pushToken: "fcm:demo-lena",
  consent: { ...ALL_ON, vendors: { meta: true, braze: false, warehouse: false } },
  recordedHoursAgo: 20,
  owner: "read-only",
  audiences: OWNED_AUDIENCES,
} as const;

const mateo = {
  id: "00000000-0000-4000-8000-00000000000d",
  externalId: "demo-mateo",
  name: "Mateo Rojas",
  email: "mateo.rojas@example.com",
  phone: "+15550100013",
  pushToken: "fcm:demo-mateo",
  consent: { ...ALL_ON, vendors: { meta: false, braze: false } },
  recordedHoursAgo: 2,
  owner: "read-only",
  audiences: OWNED_AUDIENCES,
} as const;

const nour = {
  id: "00000000-0000-4000-8000-00000000000e",
  externalId: "demo-nour",
  name: "Nour Haddad",
  email: "nour.haddad@example.com",
  phone: "+15550100014",
  pushToken: "apns:demo-nour",
  consent: { ...ALL_ON, behavioral_campaigns: false, vendors: { meta: true, braze: false, warehouse: true } },
  recordedHoursAgo: 120,
  owner: "read-only",
  audiences: OWNED_AUDIENCES,
} as const;

// Reserved for e2e/deletion-dialog.spec.ts, which deletes her through the profile's dialog.
const olga = {
  id: "00000000-0000-4000-8000-00000000000f",
  externalId: "demo-olga",
  name: "Olga Petrova",
  email: "olga.petrova@example.com",
  phone: "+15550100015",
  pushToken: "fcm:demo-olga",
  consent: EVERYTHING_ALLOWED,
  owner: "e2e/deletion-dialog.spec.ts",
  audiences: OWNED_AUDIENCES,
} as const;

/** Hand-made customers covering each consent state; e2e tests and the README use them. */
export const DEMO_CUSTOMERS = [ana, bruno, chen, dana, eli, farah, gustavo, hana, iris, jonas, kemal, lena, mateo, nour, olga] as const;

/** The demo customers by first name, for tests to name them without repeating ids or emails. */
export const DEMO = { ana, bruno, chen, dana, eli, farah, gustavo, hana, iris, jonas, kemal, lena, mateo, nour, olga } as const;

export type DemoCustomer = (typeof DEMO_CUSTOMERS)[number];

/** The demo customers a spec owns (see DemoCustomerOwner). */
export function demoCustomersOwnedBy(owner: DemoCustomerOwner): DemoCustomer[] {
  return DEMO_CUSTOMERS.filter((c) => c.owner === owner);
}

/** One demo user per role; lib/seed/users.ts creates them and the README lists them. Never for production. */
export const DEMO_PASSWORD = "consent-desk-demo";

export const DEMO_USERS: ReadonlyArray<{ id: string; email: string; name: string; role: Role }> = [
  { id: "00000000-0000-4000-8000-0000000000d1", email: "admin@example.com", name: "Ada Admin", role: "admin" },
  { id: "00000000-0000-4000-8000-0000000000d2", email: "privacy@example.com", name: "Priya Privacy", role: "privacy_officer" },
  { id: "00000000-0000-4000-8000-0000000000d3", email: "marketer@example.com", name: "Marco Marketer", role: "marketer" },
  { id: "00000000-0000-4000-8000-0000000000d4", email: "auditor@example.com", name: "Aud Auditor", role: "auditor" },
];

export function demoUser(role: Role): { id: string; email: string; name: string; role: Role } {
  const user = DEMO_USERS.find((u) => u.role === role);
  if (!user) throw new Error(`no demo user with role ${role}`);
  return user;
}

/**
 * Who made the seeded customers' consent changes after their import (the
 * seed's history, lib/seed/bulk-sql.ts): two demo users in the dashboard and
 * a storefront integration through the API. The API key is named only; the
 * seed creates no key for it.
 */
export const SEED_HISTORY_ACTORS: ReadonlyArray<{
  source: "dashboard" | "api";
  type: "user" | "api_key";
  id: string | null;
  label: string;
  reason: string | null;
}> = [
  { source: "dashboard", type: "user", id: demoUser("marketer").id, label: demoUser("marketer").email, reason: "Customer asked in store" },
  { source: "dashboard", type: "user", id: demoUser("privacy_officer").id, label: demoUser("privacy_officer").email, reason: null },
  { source: "api", type: "api_key", id: null, label: "Storefront preferences (demo)", reason: null },
];

export const SEED_NAMESPACE = "cd-seed";
