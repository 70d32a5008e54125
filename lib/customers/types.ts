import type { Purpose } from "../consent/purposes.ts";
import type { ConsentState } from "../consent/rules.ts";

/** The purpose columns of customer_consents, as SQL returns them (null: never named, or no row). */
export type PurposeColumns = Record<Purpose, boolean | null>;

export interface ConsentRow extends PurposeColumns {
  consent_recorded: boolean;
  vendors: Record<string, boolean> | null;
}

/** A customer_consents row (or its absence) as the rules see it. */
export function consentFromRow(row: ConsentRow): ConsentState {
  if (!row.consent_recorded) return null;
  const purposes: Partial<Record<Purpose, boolean | null>> = {
    behavioral_campaigns: row.behavioral_campaigns,
    email_marketing: row.email_marketing,
    push_notifications: row.push_notifications,
    coupon_campaigns: row.coupon_campaigns,
    punchcard_campaigns: row.punchcard_campaigns,
    link_tracking: row.link_tracking,
  };
  return { purposes, vendors: row.vendors ?? {} };
}

export interface DirectoryCustomer {
  id: string;
  externalId: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  createdAt: Date;
  consent: ConsentState;
}

export interface DirectoryPage {
  customers: DirectoryCustomer[];
  /** Cursor for the page after this one, when there is one. */
  next: string | undefined;
  /** Cursor for the page before this one, when there is one. */
  previous: string | undefined;
  /** What the search ran on, for the page to say so. */
  search: { field: "email" | "name" | "phone" | "external_id"; term: string } | undefined;
}
