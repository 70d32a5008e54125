import "server-only";
import { getDatabase, type Database } from "../db/index.ts";
import { CustomerIdSchema } from "../customers/profile.ts";
import { deletionDefaults } from "./config.ts";
import type { ConfirmationTarget } from "./confirmation.ts";
import { dueAt, REGIMES, type Regime } from "./deadlines.ts";
import { customerRetention } from "./retention.ts";

// What the profile's delete dialog shows before anything happens (issue 11,
// item 1): what the person must type, the audiences left and the journeys
// ended, the integrations told (by name), what the retention policy does to
// each field, and which reporting totals stay. It reads what requestDeletion
// (erase.ts) then changes, with the same conditions: every membership, the
// active enrolments, every integration (paused ones too).

/** How many audience and journey names the dialog lists; the counts are always whole. */
export const PREVIEW_NAMES = 50;

/** The totals an erasure keeps without the person (reporting reads them from the rows the erasure leaves). */
export const KEPT_TOTALS = [
  {
    label: "Campaign points and rewards per day",
    detail: "Events stay on the erased profile, without attributes or the client's event id.",
  },
  { label: "Events per type per day", detail: "Counted from the same events, which no longer name the person." },
  { label: "Audience sizes over time", detail: "Each membership's dates move to a past membership with no customer attached." },
] as const;

export interface DeletionPreview {
  customerId: string;
  /** What the person may type to confirm (confirmation.ts): the email or the external id. */
  confirmWith: ConfirmationTarget;
  audiences: { count: number; names: string[] };
  journeys: { count: number; names: string[] };
  /** Every integration, by name; a paused one is told once resumed (its signal waits in the queue). */
  integrations: Array<{ id: string; name: string; paused: boolean }>;
  retention: ReturnType<typeof customerRetention>;
  keptTotals: typeof KEPT_TOTALS;
  /** Due dates are days in this (the business's) time zone. */
  regimes: { default: Regime; timeZone: string; options: Array<{ regime: Regime; dueAt: Date }> };
}

type CustomerRow = { email: string | null; external_id: string | null; erased_at: Date | string | null };
type NamesRow = { name: string; total: number };

/** The dialog's preview, or null for an id that is malformed, unknown, or already erased (there is nothing left to delete). */
export async function getDeletionPreview(rawId: string, database?: Database, now = new Date()): Promise<DeletionPreview | null> {
  const parsed = CustomerIdSchema.safeParse(rawId);
  if (!parsed.success) return null;
  const id = parsed.data;
  const { driver } = database ?? (await getDatabase());
  const [[customer], audiences, journeys, integrations] = await Promise.all([
    driver.query<CustomerRow>(`SELECT email, external_id, erased_at FROM customers WHERE id = $1`, [id]),
    driver.query<NamesRow>(
      `SELECT a.name, count(*) OVER ()::int AS total FROM audience_memberships m JOIN audiences a ON a.id = m.audience_id
       WHERE m.customer_id = $1 ORDER BY a.name, a.id LIMIT $2`,
      [id, PREVIEW_NAMES],
    ),
    driver.query<NamesRow>(
      `SELECT j.name, count(*) OVER ()::int AS total FROM journey_enrolments e JOIN journeys j ON j.id = e.journey_id
       WHERE e.customer_id = $1 AND e.status = 'active' ORDER BY j.name, j.id LIMIT $2`,
      [id, PREVIEW_NAMES],
    ),
    driver.query<{ id: string; name: string; enabled: boolean }>(`SELECT id, name, enabled FROM integrations ORDER BY name, id`),
  ]);
  if (!customer || customer.erased_at !== null) return null;

  const defaults = deletionDefaults();
  const names = (rows: NamesRow[]) => ({ count: rows[0]?.total ?? 0, names: rows.map((r) => r.name) });
  return {
    customerId: id,
    confirmWith: { id, email: customer.email, externalId: customer.external_id },
    audiences: names(audiences),
    journeys: names(journeys),
    integrations: integrations.map((i) => ({ id: i.id, name: i.name, paused: !i.enabled })),
    retention: customerRetention(),
    keptTotals: KEPT_TOTALS,
    regimes: {
      default: defaults.regime,
      timeZone: defaults.timeZone,
      options: REGIMES.map((regime) => ({ regime, dueAt: dueAt({ regime, receivedAt: now, timeZone: defaults.timeZone }) })),
    },
  };
}
