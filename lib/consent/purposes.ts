/** The purposes a customer's consent names; `vendors` is a separate map. */
export const PURPOSES = [
  "behavioral_campaigns",
  "email_marketing",
  "push_notifications",
  "coupon_campaigns",
  "punchcard_campaigns",
  "link_tracking",
] as const;

export type Purpose = (typeof PURPOSES)[number];

export const PURPOSE_INFO: Record<Purpose, { label: string; controls: string }> = {
  behavioral_campaigns: { label: "Behavioral campaigns", controls: "Loyalty event processing: points, tiers, campaign rewards" },
  email_marketing: { label: "Email marketing", controls: "Email in journeys and audience sends" },
  push_notifications: { label: "Push notifications", controls: "Push in journeys and audience sends" },
  coupon_campaigns: { label: "Coupon campaigns", controls: "Coupon rewards" },
  punchcard_campaigns: { label: "Punch card campaigns", controls: "Punch card rewards" },
  link_tracking: { label: "Link tracking", controls: "Tracked links in messages" },
};

export function isPurpose(value: string): value is Purpose {
  return (PURPOSES as readonly string[]).includes(value);
}

/** Vendor slugs are the keys of `consent.vendors`, one per integration. */
export const VENDOR_SLUG = /^[a-z0-9][a-z0-9_-]{0,39}$/;
