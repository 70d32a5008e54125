import "server-only";
import type { Purpose } from "../consent/purposes.ts";
import { evaluatePurpose, type Decision } from "../consent/rules.ts";
import { recordedConsent, type ConsentState } from "../consent/model.ts";
import { getDatabase } from "../db/index.ts";
import { MEMBERS_PAGE_SIZE, type Channel, type MemberStatus } from "../validations/audiences.ts";

/**
 * What an audience send on one channel would do, member by member:
 * - `consent`: the channel's purpose is not allowed (lib/consent/rules.ts: a
 *   recorded consent that does not say TRUE). Checked first: a blocked purpose
 *   normally has the contact copy cleared already, and the reason is consent.
 * - `no_contact`: allowed, but the membership's contact copy is empty (the
 *   profile has no email / push token, or it was never copied).
 * - otherwise reachable, and the message carries tracked links only when
 *   `link_tracking` is allowed; else it is rendered with plain links.
 */
export const CHANNEL_SOURCES = {
  email: { purpose: "email_marketing", contact: "email" },
  push: { purpose: "push_notifications", contact: "push_token" },
} as const satisfies Record<Channel, { purpose: Purpose; contact: string }>;

export type SkipReason = "consent" | "no_contact";

export interface SendPreview {
  audience: { id: string; name: string; description: string | null };
  channel: Channel;
  members: number;
  reachable: number;
  skipped: Record<SkipReason, number>;
  /** Among reachable members only: who gets tracked links and who plain ones. */
  link_tracking: { on: number; off: number };
}

// "Allowed" in SQL, as lib/consent/rules.ts decides it: no record, or exactly TRUE.
const allowed = (purpose: Purpose) => `(cc.customer_id IS NULL OR cc.${purpose} IS TRUE)`;

/** The member's status as SQL; identifiers come from CHANNEL_SOURCES, never from input. */
function statusSql(channel: Channel) {
  const { purpose, contact } = CHANNEL_SOURCES[channel];
  return `CASE WHEN NOT ${allowed(purpose)} THEN 'consent' WHEN am.${contact} IS NULL THEN 'no_contact' ELSE 'reachable' END`;
}

/**
 * One statement for the audience and its counts; no row when the audience does
 * not exist. It reads the audience's memberships through their primary key
 * (audience_id first) joined to customer_consents by customer id; the
 * customers table is not touched. The counts are an uncorrelated subquery,
 * not a LATERAL one, so PostgreSQL may run them with parallel workers.
 */
export function sendPreviewSql(channel: Channel) {
  const status = statusSql(channel);
  return `
SELECT a.id, a.name, a.description, s.*
FROM audiences a
CROSS JOIN (
  SELECT count(*) AS members,
    count(*) FILTER (WHERE m.status = 'reachable') AS reachable,
    count(*) FILTER (WHERE m.status = 'consent') AS skipped_consent,
    count(*) FILTER (WHERE m.status = 'no_contact') AS skipped_no_contact,
    count(*) FILTER (WHERE m.status = 'reachable' AND m.tracking) AS tracking_on
  FROM (
    SELECT ${status} AS status, ${allowed("link_tracking")} AS tracking
    FROM audience_memberships am
    LEFT JOIN customer_consents cc ON cc.customer_id = am.customer_id
    WHERE am.audience_id = $1
  ) m
) s
WHERE a.id = $1`;
}

type SummaryRow = {
  id: string;
  name: string;
  description: string | null;
  members: string;
  reachable: string;
  skipped_consent: string;
  skipped_no_contact: string;
  tracking_on: string;
};

/** The send preview's counts, or null for an unknown audience. */
export async function getSendPreview(audienceId: string, channel: Channel): Promise<SendPreview | null> {
  const { driver } = await getDatabase();
  const [row] = await driver.query<SummaryRow>(sendPreviewSql(channel), [audienceId]);
  if (!row) return null;
  const reachable = Number(row.reachable);
  const on = Number(row.tracking_on);
  return {
    audience: { id: row.id, name: row.name, description: row.description },
    channel,
    members: Number(row.members),
    reachable,
    skipped: { consent: Number(row.skipped_consent), no_contact: Number(row.skipped_no_contact) },
    link_tracking: { on, off: reachable - on },
  };
}

export interface PreviewMember {
  customerId: string;
  name: string | null;
  status: "reachable" | SkipReason;
  /** The membership's contact copy for the channel is present. */
  hasContact: boolean;
  /** The profile has a value to copy (so an empty copy was cleared, not missing). */
  contactOnProfile: boolean;
  /** The channel purpose's decision, as the rules give it (granted, not_recorded, denied, not_named). */
  channelDecision: Decision;
  /** Tracked links in messages for this member; off means plain links. */
  linkTracking: boolean;
}

export interface PreviewMemberPage {
  members: PreviewMember[];
  next: string | undefined;
  previous: string | undefined;
}

type MemberRow = {
  customer_id: string;
  name: string | null;
  status: PreviewMember["status"];
  has_contact: boolean;
  contact_on_profile: boolean;
  consent_recorded: boolean;
  channel_consent: boolean | null;
  link_tracking: boolean | null;
};

const STATUS_FILTER: Record<MemberStatus, string> = {
  reachable: "m.status = 'reachable'",
  skipped: "m.status <> 'reachable'",
  consent: "m.status = 'consent'",
  no_contact: "m.status = 'no_contact'",
};

/**
 * One page of an audience's members for a channel, by customer id, keyset
 * paged: `after` / `before` are the customer ids at the edges of a page.
 */
export async function listPreviewMembers(
  audienceId: string,
  channel: Channel,
  options: { status?: MemberStatus; after?: string; before?: string } = {},
  pageSize = MEMBERS_PAGE_SIZE,
): Promise<PreviewMemberPage> {
  const { driver } = await getDatabase();
  const { purpose, contact } = CHANNEL_SOURCES[channel];
  const values: unknown[] = [audienceId];
  const backwards = !options.after && Boolean(options.before);
  const edge = options.after ?? options.before;
  // The cursor bounds every joined table, not just the memberships: PostgreSQL
  // may merge-join the primary keys in customer id order, and an unbounded
  // customers or consent index scan would walk from the first customer up to
  // the cursor on every page (seconds at a million customers).
  if (edge) values.push(edge);
  const bound = (column: string) => (edge ? ` AND ${column} ${backwards ? "<" : ">"} $2` : "");
  values.push(pageSize + 1);
  // A plain subquery: PostgreSQL pulls it up, so the status filter stays a filter
  // on the primary-key range scan that already returns rows in customer id order.
  const rows = await driver.query<MemberRow>(
    `SELECT m.* FROM (
       SELECT am.customer_id, c.name, ${statusSql(channel)} AS status,
         am.${contact} IS NOT NULL AS has_contact, c.${contact} IS NOT NULL AS contact_on_profile,
         cc.customer_id IS NOT NULL AS consent_recorded, cc.${purpose} AS channel_consent, cc.link_tracking
       FROM audience_memberships am
       JOIN customers c ON c.id = am.customer_id${bound("c.id")}
       LEFT JOIN customer_consents cc ON cc.customer_id = am.customer_id${bound("cc.customer_id")}
       WHERE am.audience_id = $1${bound("am.customer_id")}
     ) m
     ${options.status ? `WHERE ${STATUS_FILTER[options.status]}` : ""}
     ORDER BY m.customer_id ${backwards ? "DESC" : "ASC"}
     LIMIT $${values.length}`,
    values,
  );

  const more = rows.length > pageSize;
  const page = rows.slice(0, pageSize);
  if (backwards) page.reverse();
  const hasNext = backwards ? true : more;
  const hasPrevious = backwards ? more : Boolean(options.after);
  return {
    members: page.map((row) => toMember(row, purpose)),
    next: hasNext ? page.at(-1)?.customer_id : undefined,
    previous: hasPrevious ? page[0]?.customer_id : undefined,
  };
}

function toMember(row: MemberRow, purpose: Purpose): PreviewMember {
  // Only the two purposes this row reads; the others stay unnamed and are not looked at.
  const consent: ConsentState = row.consent_recorded
    ? recordedConsent({ [purpose]: row.channel_consent, link_tracking: row.link_tracking })
    : null;
  return {
    customerId: row.customer_id,
    name: row.name,
    status: row.status,
    hasContact: row.has_contact,
    contactOnProfile: row.contact_on_profile,
    channelDecision: evaluatePurpose(consent, purpose),
    linkTracking: evaluatePurpose(consent, "link_tracking").allowed,
  };
}
