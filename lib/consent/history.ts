import "server-only";
import { CustomerIdSchema as CustomerId } from "../customers/profile.ts";
import { getDatabase } from "../db/index.ts";
import type { ExportFormat } from "../validations/consent-history.ts";
import {
  computeDiff,
  evaluateConsent,
  historyCsv,
  historyJsonEntry,
  type ConsentHistoryEntry,
  type EvaluatedConsent,
  type HistoryActorType,
  type HistoryFilterKey,
  type HistorySource,
} from "./history-diff.ts";
import { consentFromSnapshot, recordedConsent, vendorNames, type RecordedConsent, type VendorNames } from "./model.ts";

export type { ConsentHistoryEntry } from "./history-diff.ts";

type ChangeRow = {
  id: string;
  version: number;
  source: HistorySource;
  actor_type: HistoryActorType;
  actor_id: string | null;
  actor_label: string;
  changed_at: Date;
  before: unknown;
  after: unknown;
  changed: string[] | null;
  reason: string | null;
  consent_timestamp: Date | null;
  consent_string: string | null;
  previous_consent_timestamp: Date | null;
  previous_consent_string: string | null;
};

// A change row keeps the TC string and consent timestamp as they are after
// it; the previous version's row (one index probe on the unique key) gives
// the values before.
const SELECT_CHANGES = `
  SELECT c.id::text AS id, c.version, c.source::text AS source, c.actor_type, c.actor_id, c.actor_label, c.changed_at,
         c.before, c.after, c.changed, c.reason, c.consent_timestamp, c.consent_string,
         p.consent_timestamp AS previous_consent_timestamp, p.consent_string AS previous_consent_string
  FROM consent_changes c
  LEFT JOIN consent_changes p ON p.customer_id = c.customer_id AND p.version = c.version - 1
  WHERE c.customer_id = $1
    AND ($2::text IS NULL OR $2::text = ANY (c.changed))
    AND ($3::int IS NULL OR c.version < $3::int)
  ORDER BY c.version DESC
  LIMIT $4`;

function toEntry(row: ChangeRow, names: VendorNames, only?: string, asOf?: Date): ConsentHistoryEntry {
  const before = consentFromSnapshot(row.before);
  // `after` is NOT NULL; an unreadable one reads as a record naming nothing.
  const after = consentFromSnapshot(row.after) ?? recordedConsent();
  const changed = row.changed ?? [];
  return {
    id: row.id,
    version: row.version,
    source: row.source,
    actorType: row.actor_type,
    actorId: row.actor_id,
    actorLabel: row.actor_label,
    changedAt: row.changed_at,
    before,
    after,
    changed,
    reason: row.reason,
    consentTimestamp: row.consent_timestamp,
    consentString: row.consent_string,
    afterAsOf: asOf !== undefined && row.changed_at.getTime() > asOf.getTime(),
    diff: computeDiff(
      {
        before,
        after,
        changed,
        consentTimestamp: row.consent_timestamp,
        consentString: row.consent_string,
        previousConsentTimestamp: row.previous_consent_timestamp,
        previousConsentString: row.previous_consent_string,
      },
      only,
      names,
    ),
  };
}

/** Integration names by vendor slug, for labels (a handful of rows). */
async function integrationNames(): Promise<VendorNames> {
  const { driver } = await getDatabase();
  return vendorNames(await driver.query<{ vendor: string; name: string }>("SELECT vendor, name FROM integrations"));
}

export interface ConsentHistoryPage {
  entries: ConsentHistoryEntry[];
  /** The cursor for older entries (a version), when there are any. */
  next?: number;
}

/**
 * A customer's consent changes, newest first, paged by version. With
 * `purpose`, only the changes to that purpose (or `vendors.<slug>`), each
 * with just that key's diff row. With `asOf`, entries changed after that
 * instant say so (`afterAsOf`), for the "as of" view to mark them.
 */
export async function listConsentHistory(
  customerId: string,
  { purpose, before, limit = 20, asOf }: { purpose?: HistoryFilterKey; before?: number; limit?: number; asOf?: Date } = {},
): Promise<ConsentHistoryPage> {
  if (!CustomerId.safeParse(customerId).success) return { entries: [] };
  const { driver } = await getDatabase();
  const [rows, names] = await Promise.all([
    driver.query<ChangeRow>(SELECT_CHANGES, [customerId, purpose ?? null, before ?? null, limit + 1]),
    integrationNames(),
  ]);
  const page = rows.slice(0, limit).map((row) => toEntry(row, names, purpose, asOf));
  return rows.length > limit ? { entries: page, next: page.at(-1)!.version } : { entries: page };
}

export type ConsentAsOf = { at: Date } & EvaluatedConsent &
  (
    | { recorded: false }
    | {
        recorded: true;
        version: number;
        changedAt: Date;
        consent: RecordedConsent;
        consentTimestamp: Date | null;
        consentString: string | null;
      }
  );

/**
 * The record in effect at `at`: the `after` of the newest version changed at
 * or before it, or "not recorded" (everything allowed) before the first.
 * `vendors` adds slugs to evaluate beside those the record names.
 */
export async function consentAsOf(
  customerId: string,
  at: Date,
  { vendors = [] }: { vendors?: readonly string[] } = {},
): Promise<ConsentAsOf> {
  if (!CustomerId.safeParse(customerId).success) return { at, recorded: false, ...evaluateConsent(null, vendors) };
  const { driver } = await getDatabase();
  const names = await integrationNames();
  // Newest by version, not by time: versions are the record's true order.
  const [row] = await driver.query<Pick<ChangeRow, "version" | "changed_at" | "after" | "consent_timestamp" | "consent_string">>(
    `SELECT version, changed_at, after, consent_timestamp, consent_string FROM consent_changes
     WHERE customer_id = $1 AND changed_at <= $2 ORDER BY version DESC LIMIT 1`,
    [customerId, at],
  );
  if (!row) return { at, recorded: false, ...evaluateConsent(null, vendors, names) };
  const consent = consentFromSnapshot(row.after) ?? recordedConsent();
  return {
    at,
    recorded: true,
    version: row.version,
    changedAt: row.changed_at,
    consent,
    consentTimestamp: row.consent_timestamp,
    consentString: row.consent_string,
    ...evaluateConsent(consent, vendors, names),
  };
}

/** Whether a customer with this id exists (false for a malformed id). */
export async function customerExists(customerId: string): Promise<boolean> {
  if (!CustomerId.safeParse(customerId).success) return false;
  const { driver } = await getDatabase();
  const rows = await driver.query("SELECT 1 FROM customers WHERE id = $1", [customerId]);
  return rows.length > 0;
}

const EXPORT_BATCH = 500;

/**
 * The whole history (or one key's) as proof of consent, newest first: CSV
 * with one row per changed key, or JSON with full entries.
 */
export async function exportConsentHistory(
  customerId: string,
  format: ExportFormat,
  { purpose, now = new Date() }: { purpose?: HistoryFilterKey; now?: Date } = {},
): Promise<{ contentType: string; body: string }> {
  const entries: ConsentHistoryEntry[] = [];
  let before: number | undefined;
  // One customer's history is small; batches keep each query bounded all the same.
  for (;;) {
    const page = await listConsentHistory(customerId, { purpose, before, limit: EXPORT_BATCH });
    entries.push(...page.entries);
    if (page.next === undefined) break;
    before = page.next;
  }
  if (format === "csv") return { contentType: "text/csv; charset=utf-8", body: historyCsv(entries) };
  const body = JSON.stringify(
    { customer_id: customerId, exported_at: now.toISOString(), ...(purpose ? { purpose } : {}), entries: entries.map(historyJsonEntry) },
    null,
    2,
  );
  return { contentType: "application/json; charset=utf-8", body };
}
