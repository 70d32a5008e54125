// What an erasure leaves of a customer, table by table and column by column:
// the one declaration the erasure (erase.ts) follows, the delete dialog and
// the request page show, and a test checks against the database (every text,
// JSON and array column of every table has a rule; a new column without one
// fails).
//
// - erase: the value is removed (set to `to`);
// - anonymise: the value is replaced by something that no longer names the
//   person (`how` says by what);
// - keep: kept as it is, for the stated reason or legal basis.

export type RetentionAction = "erase" | "anonymise" | "keep";

export type FieldRule =
  | { action: "erase"; to: "null" | "empty_object"; why: string }
  | { action: "anonymise"; how: string; why: string }
  | { action: "keep"; why: string };

export interface TablePolicy {
  table: string;
  /** What a person calls it. */
  label: string;
  /** Whether the table holds rows about a customer; the others hold no customer data at all. */
  customerData: boolean;
  /** What becomes of the customer's rows as a whole. */
  rows: string;
  fields: Readonly<Record<string, FieldRule>>;
}

const erase = (why: string, to: "null" | "empty_object" = "null"): FieldRule => ({ action: "erase", to, why });
const anonymise = (how: string, why: string): FieldRule => ({ action: "anonymise", how, why });
const keep = (why: string): FieldRule => ({ action: "keep", why });

const IDENTIFYING = "Identifies the person (Art. 17(1) GDPR; CCPA §1798.105).";
const NOT_PERSONAL = "Holds no personal data.";
const STAFF = "Staff accounts and sign-in, not customer data.";
const PROOF = "Kept without identifiers: Art. 7(1) GDPR, proof of consent.";
const REPORTING = "Kept without the person for reporting totals (Recital 26: anonymous data).";
const ACCOUNTABILITY = "Kept as the record of the request: Art. 5(2) GDPR accountability, Art. 12 and 17 proof of handling.";
// Free text typed around a deletion (lib/deletions/free-text.ts).
const FREE_TEXT = anonymise(
  "Any email address or phone number, and the names, ids and email local parts of the customers it is about " +
    "(the one deleted, those a bulk file lists, anyone it names by email or external id), are taken out as it is written " +
    "and again at each of their erasures ([erased] stands in).",
  ACCOUNTABILITY,
);

export const RETENTION: readonly TablePolicy[] = [
  {
    table: "customers",
    label: "Customer profile",
    customerData: true,
    rows: "The row stays as an erased shell (its internal id only), so reporting totals and the request can point at it.",
    fields: {
      external_id: erase(IDENTIFYING),
      name: erase(IDENTIFYING),
      name_search: erase(IDENTIFYING),
      email: erase(IDENTIFYING),
      phone: erase(IDENTIFYING),
      push_token: erase(IDENTIFYING),
      attributes: erase("Free-text attributes may identify the person.", "empty_object"),
    },
  },
  {
    table: "customer_consents",
    label: "Current consent",
    customerData: true,
    rows: "Kept: the purposes and vendors last chosen, without identifiers.",
    fields: {
      vendors: keep(PROOF),
      consent_string: erase("A TC string is a device-level identifier."),
      tcf: erase("Decoded from the TC string."),
    },
  },
  {
    table: "consent_changes",
    label: "Consent history",
    customerData: true,
    rows: "Kept without identifiers: who changed what and when.",
    fields: {
      actor_type: keep(PROOF),
      actor_id: keep("A staff user's or API key's id, not the customer's."),
      actor_label: keep("A staff user's or API key's name, not the customer's."),
      before: keep(PROOF),
      after: keep(PROOF),
      changed: keep(PROOF),
      reason: erase("Free text may identify the person."),
      consent_string: erase("A TC string is a device-level identifier."),
    },
  },
  {
    table: "audience_memberships",
    label: "Audience memberships",
    customerData: true,
    rows: "The customer leaves every audience; each membership's dates are kept apart, without the customer, so audience sizes over time stay right.",
    fields: {
      email: erase(IDENTIFYING),
      push_token: erase(IDENTIFYING),
    },
  },
  {
    table: "audience_past_memberships",
    label: "Past audience memberships",
    customerData: false,
    rows: "Audience and dates only: audience sizes over time keep their totals.",
    fields: {},
  },
  {
    table: "journey_enrolments",
    label: "Journey enrolments",
    customerData: true,
    rows: "Every active enrolment ends (exited); the rows stay without identifiers for journey totals.",
    fields: { step: keep("The journey's own step name. " + REPORTING) },
  },
  {
    table: "loyalty_events",
    label: "Loyalty events",
    customerData: true,
    rows: "Kept on the erased shell for points, rewards and events per day.",
    fields: {
      type: keep(REPORTING),
      event_id: erase("The client's id for the event can be traced back to the person."),
      rewards: keep(REPORTING),
      withheld: keep(REPORTING),
      withheld_reason: keep(REPORTING),
      attributes: erase("Free-text attributes may identify the person.", "empty_object"),
    },
  },
  {
    table: "integration_signals",
    label: "Integration signals",
    customerData: true,
    rows: "Undelivered consent-change signals are dropped (the delete signal supersedes them); one delete signal per integration is queued.",
    fields: {
      payload: anonymise(
        "The external id becomes the tombstone's hash: at once for consent changes, and for the delete signals once every integration has acknowledged.",
        "Until then it is the one thing each integration needs to find the person.",
      ),
      last_error: keep("The delivery's error text, which never holds the body. " + NOT_PERSONAL),
      leased_by: keep("A worker's name. " + NOT_PERSONAL),
      receiver_ref: anonymise(
        "An external id the receiver echoed in its reference becomes the tombstone's hash, with the payload's.",
        "The integration's reference for the delivery, kept as proof it was received.",
      ),
    },
  },
  {
    table: "delivery_attempts",
    label: "Delivery attempts",
    customerData: false,
    rows: "Kept: each attempt's time, status and latency, proof the integrations were told.",
    fields: {
      error: keep(NOT_PERSONAL),
      outcome: keep(NOT_PERSONAL),
      receiver_ref: anonymise(
        "An external id the receiver echoed in its reference becomes the tombstone's hash, with its signal's payload.",
        "The integration's reference for the attempt, kept as proof it was received.",
      ),
      worker: keep(NOT_PERSONAL),
    },
  },
  {
    table: "customer_tombstones",
    label: "Tombstone",
    customerData: true,
    rows: "Created by the erasure: keyed hashes (HMAC-SHA256) of the identifiers, which cannot be reversed.",
    fields: {
      external_id_hash: keep("Recognises a repeated request and an erased external id arriving again. " + ACCOUNTABILITY),
      email_hash: keep("Recognises a repeated request by email. " + ACCOUNTABILITY),
      phone_hash: keep("Recognises a repeated request by phone. " + ACCOUNTABILITY),
      name_hashes: keep(
        "One hash per part of the name: the name typed later into free text about the request (an extension's reason) is recognised and taken out.",
      ),
    },
  },
  {
    table: "deletion_requests",
    label: "Deletion request",
    customerData: true,
    rows: "Kept: when it was received, by whom and how, its deadline and what was done.",
    fields: {
      reason: FREE_TEXT,
      requested_by_type: keep(ACCOUNTABILITY),
      requested_by_id: keep(ACCOUNTABILITY),
      requested_by_label: keep(ACCOUNTABILITY),
      extension_reason: FREE_TEXT,
      identifier_hash: keep(ACCOUNTABILITY),
      summary: keep("Counts only. " + ACCOUNTABILITY),
    },
  },
  {
    table: "deletion_batches",
    label: "Bulk deletions",
    // Its reason and file name may have named the customers it lists.
    customerData: true,
    rows: "Kept: who uploaded and approved the file, and when; its reason and file name without identifiers.",
    fields: {
      reason: FREE_TEXT,
      file_name: FREE_TEXT,
      created_by_id: keep(ACCOUNTABILITY),
      created_by_type: keep(ACCOUNTABILITY),
      uploaded_by_person_id: keep("The staff user behind the upload (four eyes). " + ACCOUNTABILITY),
      created_by_label: keep(ACCOUNTABILITY),
      approved_by_id: keep(ACCOUNTABILITY),
      approved_by_label: keep(ACCOUNTABILITY),
      leased_by: keep("A worker's name. " + NOT_PERSONAL),
    },
  },
  {
    table: "deletion_batch_rows",
    label: "Bulk deletion rows",
    customerData: true,
    rows: "Each line keeps its outcome and its value's keyed hash; the value itself is never stored.",
    fields: {
      identifier_kind: keep("Whether the line was an external id or an email. " + NOT_PERSONAL),
      identifier_hash: keep(ACCOUNTABILITY),
      message: keep("Why a line was refused, without its value. " + NOT_PERSONAL),
    },
  },
  {
    table: "audit_entries",
    label: "Audit log",
    customerData: false,
    rows: "Append-only and hash-chained; it names customers by internal id only, so nothing in it identifies them.",
    fields: Object.fromEntries(
      [
        "action",
        "actor_id",
        "actor_label",
        "actor_type",
        "hash",
        "prev_hash",
        "summary",
        "target_id",
        "target_type",
        "ip",
        "user_agent",
      ].map((c) => [c, keep("Staff actions by internal id: Art. 5(2) GDPR accountability.")]),
    ),
  },
  ...(
    [
      ["audiences", "Audiences", ["name", "description"]],
      ["journeys", "Journeys", ["name"]],
      ["integrations", "Integrations", ["name", "vendor", "endpoint", "purposes", "signing_secret", "previous_secret", "disabled_reason"]],
      ["loyalty_campaigns", "Loyalty campaigns", ["name", "event_type", "reward"]],
    ] as const
  ).map(([table, label, columns]) => ({
    table,
    label,
    customerData: false,
    rows: "Configuration; no customer data.",
    fields: Object.fromEntries(columns.map((c) => [c, keep(NOT_PERSONAL)])),
  })),
  ...(
    [
      ["users", "Staff users", ["name", "email", "image"]],
      ["sessions", "Sign-in sessions", ["token", "ip_address", "user_agent"]],
      ["accounts", "Sign-in accounts", ["account_id", "provider_id", "access_token", "refresh_token", "id_token", "scope", "password"]],
      ["verifications", "Sign-in verifications", ["identifier", "value"]],
      ["sign_in_counters", "Sign-in limits", ["key"]],
      ["api_keys", "API keys", ["name", "prefix", "key_hash"]],
    ] as const
  ).map(([table, label, columns]) => ({
    table,
    label,
    customerData: false,
    rows: STAFF,
    fields: Object.fromEntries(columns.map((c) => [c, keep(STAFF)])),
  })),
  {
    table: "_prisma_migrations",
    label: "Migrations",
    customerData: false,
    rows: "The schema's history.",
    fields: Object.fromEntries(["id", "checksum", "migration_name", "logs"].map((c) => [c, keep(NOT_PERSONAL)])),
  },
];

export function tablePolicy(table: string): TablePolicy {
  const policy = RETENTION.find((t) => t.table === table);
  if (!policy) throw new Error(`No retention policy for table ${table}`);
  return policy;
}

/** The columns of `table` an erasure empties, with the value each is set to (SQL). */
export function erasedColumns(table: string): Array<{ column: string; sql: "NULL" | "'{}'::jsonb" }> {
  return Object.entries(tablePolicy(table).fields).flatMap(([column, rule]) =>
    rule.action === "erase" ? [{ column, sql: rule.to === "null" ? ("NULL" as const) : ("'{}'::jsonb" as const) }] : [],
  );
}

/** The policy as the dialog and the request page show it: the customer's tables only. */
export function customerRetention(): Array<{ table: string; label: string; rows: string; fields: Array<{ column: string } & FieldRule> }> {
  return RETENTION.filter((t) => t.customerData).map((t) => ({
    table: t.table,
    label: t.label,
    rows: t.rows,
    fields: Object.entries(t.fields).map(([column, rule]) => ({ column, ...rule })),
  }));
}
