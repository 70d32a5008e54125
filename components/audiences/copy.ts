import { PURPOSE_INFO } from "@/lib/consent/purposes";
import type { Channel, MemberStatus } from "@/lib/validations/audiences";

/** The words the page uses for each channel, in one place. */
export const CHANNEL_COPY = {
  email: {
    label: "Email",
    message: "email",
    contact: "email address",
    aContact: "an email address",
    purpose: PURPOSE_INFO.email_marketing.label,
    purposeAllowed: `${PURPOSE_INFO.email_marketing.label} is allowed`,
  },
  push: {
    label: "Push",
    message: "push notification",
    contact: "push token",
    aContact: "a push token",
    purpose: PURPOSE_INFO.push_notifications.label,
    purposeAllowed: `${PURPOSE_INFO.push_notifications.label} are allowed`,
  },
} as const satisfies Record<
  Channel,
  // The article and the verb's number differ per channel, so the sentences take them whole.
  { label: string; message: string; contact: string; aContact: string; purpose: string; purposeAllowed: string }
>;

export const STATUS_FILTER_LABEL: Record<MemberStatus | "all", string> = {
  all: "All members",
  reachable: "Reachable",
  skipped: "Skipped",
  consent: "Skipped: consent",
  no_contact: "Skipped: no contact",
};

export const formatCount = (n: number) => n.toLocaleString("en-US");
