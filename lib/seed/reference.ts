/**
 * Fixed reference data and demo customers for the seed. Ids are fixed so the
 * seed is idempotent and tests and the README can name them.
 */
export const DEMO_INTEGRATIONS = [
  {
    id: "00000000-0000-4000-8000-00000000a001",
    name: "Meta Custom Audiences",
    vendor: "meta",
    endpoint: "http://127.0.0.1:4010/hooks/meta",
    purposes: ["behavioral_campaigns", "email_marketing"],
  },
  {
    id: "00000000-0000-4000-8000-00000000a002",
    name: "Braze",
    vendor: "braze",
    endpoint: "http://127.0.0.1:4010/hooks/braze",
    purposes: ["email_marketing", "push_notifications"],
  },
  {
    id: "00000000-0000-4000-8000-00000000a003",
    name: "Warehouse webhook",
    vendor: "warehouse",
    endpoint: "http://127.0.0.1:4010/hooks/warehouse",
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

/** Hand-made customers covering each consent state; e2e tests and the README use them. */
export const DEMO_CUSTOMERS = [
  {
    id: "00000000-0000-4000-8000-000000000001",
    externalId: "demo-ana",
    name: "Ana López",
    email: "ana.lopez@example.com",
    phone: "+15550100001",
    pushToken: "fcm:demo-ana",
    consent: null,
  },
  {
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
  },
  {
    id: "00000000-0000-4000-8000-000000000003",
    externalId: "demo-chen",
    name: "Chen Wei",
    email: "chen.wei@example.com",
    phone: "+15550100003",
    pushToken: null,
    consent: { behavioral_campaigns: false, email_marketing: true, vendors: { braze: true } },
  },
  {
    id: "00000000-0000-4000-8000-000000000004",
    externalId: "demo-dana",
    name: "Dana Okafor",
    email: "dana.okafor@example.com",
    phone: "+15550100004",
    pushToken: "apns:demo-dana",
    consent: {
      behavioral_campaigns: true,
      email_marketing: true,
      push_notifications: true,
      coupon_campaigns: true,
      punchcard_campaigns: true,
      link_tracking: true,
      vendors: { meta: true, braze: true, warehouse: true },
    },
  },
  {
    // Not recorded, like Ana; the browser tests record Eli's first consent (Ana stays untouched for the read-only ones).
    id: "00000000-0000-4000-8000-000000000005",
    externalId: "demo-eli",
    name: "Eli Novak",
    email: "eli.novak@example.com",
    phone: "+15550100005",
    pushToken: "fcm:demo-eli",
    consent: null,
  },
] as const;

export const SEED_NAMESPACE = "cd-seed";
