import "server-only";
import { listAuditEntries, type AuditEntryView } from "../audit/queries.ts";
import { getDatabase } from "../db/index.ts";
import { connectionOf, type Connection } from "../integrations/health.ts";
import type { SignalStatusFilter } from "../validations/deliveries.ts";
import {
  DELETION_PAGE_SIZE,
  DeletionRequestIdSchema,
  encodeDeletionCursor,
  type DeadlineStateFilter,
  type DeletionListFilters,
  type DeletionSourceFilter,
} from "../validations/deletion-requests.ts";
import { DUE_SOON_DAYS, deadlineState, MAX_EXTENSION, type DeadlineState, type Regime } from "./deadlines.ts";
import { customerRetention } from "./retention.ts";
import type { DeletionStatus } from "./status.ts";
import type { IdentifierKind } from "./tombstone.ts";

// The deletion requests as the /deletions pages and /api/deletion-requests
// read them (issue 11, items 4 and 6): the list, newest first, filtered and
// keyset-paged on (received_at, id) along deletion_requests_received_at_id_idx;
// one request with the delivery of its delete signals to each integration
// (integration_signals_deletion_request_id_idx) and its audit entries; and
// its receipt, which holds no personal data.

export interface DeletionRequestRow {
  id: string;
  source: DeletionSourceFilter;
  regime: Regime;
  status: DeletionStatus;
  requestedBy: { type: string; label: string };
  receivedAt: Date;
  dueAt: Date;
  extension: number;
  erasedAt: Date | null;
  completedAt: Date | null;
  /** Where it stands against its due date at the time the list was read. */
  deadline: DeadlineState;
  /** Delete signals queued, and how many were acknowledged. */
  signals: { total: number; delivered: number; failed: number };
}

export interface DeletionRequestPage {
  rows: DeletionRequestRow[];
  next?: string;
  previous?: string;
}

type ListRow = {
  id: string;
  source: DeletionSourceFilter;
  regime: Regime;
  status: DeletionStatus;
  requested_by_type: string;
  requested_by_label: string;
  received_at: Date | string;
  due_at: Date | string;
  extension: number;
  erased_at: Date | string | null;
  completed_at: Date | string | null;
  total: number;
  delivered: number;
  failed: number;
};

const date = (v: Date | string) => new Date(v);
const maybeDate = (v: Date | string | null) => (v === null ? null : new Date(v));

const LIST_COLUMNS = `r.id::text AS id, r.source::text AS source, r.regime::text AS regime, r.status::text AS status,
  r.requested_by_type, r.requested_by_label, r.received_at, r.due_at, r.extension, r.erased_at, r.completed_at,
  coalesce(sc.total, 0)::int AS total, coalesce(sc.delivered, 0)::int AS delivered, coalesce(sc.failed, 0)::int AS failed`;

// One probe of integration_signals (deletion_request_id) per row shown.
const SIGNAL_COUNTS = `LEFT JOIN LATERAL (
    SELECT count(*) AS total, count(*) FILTER (WHERE s.status = 'delivered') AS delivered, count(*) FILTER (WHERE s.status = 'failed') AS failed
    FROM integration_signals s WHERE s.deletion_request_id = r.id AND s.kind = 'delete') sc ON true`;

function toListRow(r: ListRow, now: Date): DeletionRequestRow {
  const dueAt = date(r.due_at);
  return {
    id: r.id,
    source: r.source,
    regime: r.regime,
    status: r.status,
    requestedBy: { type: r.requested_by_type, label: r.requested_by_label },
    receivedAt: date(r.received_at),
    dueAt,
    extension: r.extension,
    erasedAt: maybeDate(r.erased_at),
    completedAt: maybeDate(r.completed_at),
    deadline: deadlineState(dueAt, now, r.status === "completed"),
    signals: { total: r.total, delivered: r.delivered, failed: r.failed },
  };
}

/** The SQL of a deadline state at `now` ($n), the rule of deadlineState (deadlines.ts): a completed request is on track. */
function deadlineSql(state: DeadlineStateFilter, now: string): string {
  const soon = `${now}::timestamptz + interval '${DUE_SOON_DAYS} days'`;
  if (state === "overdue") return `(r.status <> 'completed' AND r.due_at < ${now}::timestamptz)`;
  if (state === "due_soon") return `(r.status <> 'completed' AND r.due_at >= ${now}::timestamptz AND r.due_at <= ${soon})`;
  return `(r.status = 'completed' OR r.due_at > ${soon})`;
}

/** One page of deletion requests, newest first. `now` decides the deadline states (default: the current time). */
export async function listDeletionRequests(
  filters: DeletionListFilters,
  options: { pageSize?: number; now?: Date } = {},
): Promise<DeletionRequestPage> {
  const pageSize = options.pageSize ?? DELETION_PAGE_SIZE;
  const now = options.now ?? new Date();
  const values: unknown[] = [];
  const param = (v: unknown) => `$${values.push(v)}`;
  const where: string[] = [];
  if (filters.status) where.push(`r.status = ${param(filters.status)}::deletion_status`);
  if (filters.regime) where.push(`r.regime = ${param(filters.regime)}::deletion_regime`);
  if (filters.source) where.push(`r.source = ${param(filters.source)}::deletion_source`);
  if (filters.deadline) where.push(deadlineSql(filters.deadline, param(now.toISOString())));
  if (filters.from) where.push(`r.received_at >= ${param(filters.from.toISOString())}::timestamptz`);
  if (filters.to) where.push(`r.received_at < ${param(filters.to.toISOString())}::timestamptz`);
  const backwards = !filters.after && Boolean(filters.before);
  const at = filters.after ?? filters.before;
  // A row comparison, so the index bounds the scan instead of filtering it.
  if (at) where.push(`(r.received_at, r.id) ${backwards ? ">" : "<"} (${param(at.t)}::timestamptz, ${param(at.id)}::uuid)`);
  const direction = backwards ? "ASC" : "DESC";
  const { driver } = await getDatabase();
  // The page is chosen first (along the index), then each row's signals are counted.
  const rows = await driver.query<ListRow>(
    `SELECT ${LIST_COLUMNS} FROM (
       SELECT * FROM deletion_requests r ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
       ORDER BY r.received_at ${direction}, r.id ${direction} LIMIT ${param(pageSize + 1)}
     ) r ${SIGNAL_COUNTS}
     ORDER BY r.received_at ${direction}, r.id ${direction}`,
    values,
  );
  const more = rows.length > pageSize;
  const page = rows.slice(0, pageSize);
  if (backwards) page.reverse();
  const cursorOf = (row: ListRow | undefined) => row && encodeDeletionCursor({ t: date(row.received_at).toISOString(), id: row.id });
  return {
    rows: page.map((r) => toListRow(r, now)),
    next: (backwards ? true : more) ? cursorOf(page.at(-1)) : undefined,
    previous: (backwards ? more : Boolean(filters.after)) ? cursorOf(page[0]) : undefined,
  };
}

/** One integration's delete signal for a request. */
export interface DeletionDelivery {
  signalId: string;
  integration: { id: string; name: string; connection: Connection };
  status: SignalStatusFilter;
  kind: "delete";
  attempts: number;
  lastAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  failedAt: Date | null;
  receiverRef: string | null;
  /** When the next attempt is due; null once delivered or failed. */
  nextAttemptAt: Date | null;
}

export interface DeletionSummaryCounts {
  audiences: number;
  journeys: number;
  events: number;
  consent_changes: number;
  signals_dropped: number;
  integrations: number;
}

export interface DeletionRequestDetail extends DeletionRequestRow {
  customerId: string | null;
  reason: string | null;
  extensionReason: string | null;
  extendedAt: Date | null;
  /** Months (GDPR) or days (CCPA), and the most it may reach. */
  extensionUnit: "months" | "days";
  maxExtension: number;
  summary: Partial<DeletionSummaryCounts>;
  identifierHash: string | null;
  batchId: string | null;
  deliveries: DeletionDelivery[];
}

type DetailRow = ListRow & {
  customer_id: string | null;
  reason: string | null;
  extension_reason: string | null;
  extended_at: Date | string | null;
  summary: unknown;
  identifier_hash: string | null;
  batch_id: string | null;
};

type DeliveryDbRow = {
  signal_id: string;
  integration_id: string;
  integration_name: string;
  enabled: boolean;
  disabled_at: Date | string | null;
  status: SignalStatusFilter;
  attempts: number;
  last_attempt_at: Date | string | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: Date | string | null;
  failed_at: Date | string | null;
  receiver_ref: string | null;
  next_attempt_at: Date | string;
};

const SUMMARY_KEYS = ["audiences", "journeys", "events", "consent_changes", "signals_dropped", "integrations"] as const;

function summaryOf(value: unknown): Partial<DeletionSummaryCounts> {
  const parsed: unknown = typeof value === "string" ? JSON.parse(value) : value;
  const out: Partial<DeletionSummaryCounts> = {};
  if (parsed && typeof parsed === "object") {
    for (const key of SUMMARY_KEYS) {
      const n = (parsed as Record<string, unknown>)[key];
      if (typeof n === "number" && Number.isInteger(n)) out[key] = n;
    }
  }
  return out;
}

async function deliveriesOf(requestId: string): Promise<DeletionDelivery[]> {
  const { driver } = await getDatabase();
  const rows = await driver.query<DeliveryDbRow>(
    `SELECT s.id::text AS signal_id, i.id::text AS integration_id, i.name AS integration_name, i.enabled, i.disabled_at,
       s.status::text AS status, s.attempts, s.last_attempt_at, s.last_status_code, s.last_error, s.delivered_at, s.failed_at,
       s.receiver_ref, s.next_attempt_at
     FROM integration_signals s JOIN integrations i ON i.id = s.integration_id
     WHERE s.deletion_request_id = $1::uuid AND s.kind = 'delete'
     ORDER BY i.name, s.created_at, s.id`,
    [requestId],
  );
  return rows.map((r) => ({
    signalId: r.signal_id,
    integration: {
      id: r.integration_id,
      name: r.integration_name,
      connection: connectionOf({ enabled: r.enabled, disabledAt: maybeDate(r.disabled_at) }),
    },
    status: r.status,
    kind: "delete",
    attempts: r.attempts,
    lastAttemptAt: maybeDate(r.last_attempt_at),
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    deliveredAt: maybeDate(r.delivered_at),
    failedAt: maybeDate(r.failed_at),
    receiverRef: r.receiver_ref,
    nextAttemptAt: r.status === "pending" || r.status === "retrying" ? date(r.next_attempt_at) : null,
  }));
}

/** One request with its delete signals' delivery; null for an unknown or malformed id. */
export async function getDeletionRequest(id: string, options: { now?: Date } = {}): Promise<DeletionRequestDetail | null> {
  if (!DeletionRequestIdSchema.safeParse(id).success) return null;
  const now = options.now ?? new Date();
  const { driver } = await getDatabase();
  const [row] = await driver.query<DetailRow>(
    // A bulk request's reason is its batch's, kept once on the batch (lib/deletions/bulk.ts).
    `SELECT ${LIST_COLUMNS}, r.customer_id::text AS customer_id, coalesce(r.reason, batch.reason) AS reason, r.extension_reason,
       r.extended_at, r.summary, r.identifier_hash, r.batch_id::text AS batch_id
     FROM deletion_requests r LEFT JOIN deletion_batches batch ON batch.id = r.batch_id ${SIGNAL_COUNTS} WHERE r.id = $1::uuid`,
    [id],
  );
  if (!row) return null;
  const limit = MAX_EXTENSION[row.regime];
  return {
    ...toListRow(row, now),
    customerId: row.customer_id,
    reason: row.reason,
    extensionReason: row.extension_reason,
    extendedAt: maybeDate(row.extended_at),
    extensionUnit: limit.unit,
    maxExtension: limit.max,
    summary: summaryOf(row.summary),
    identifierHash: row.identifier_hash,
    batchId: row.batch_id,
    deliveries: await deliveriesOf(row.id),
  };
}

/** The request's audit entries, oldest first: its intake, the erasure, extensions. */
export async function deletionRequestAudit(request: { id: string; customerId: string | null }): Promise<AuditEntryView[]> {
  const none = { actor: undefined, action: undefined, from: undefined, toExclusive: undefined, after: undefined, before: undefined };
  const [own, erasure] = await Promise.all([
    listAuditEntries({ ...none, targetType: "deletion_request", targetId: request.id }, 200),
    request.customerId
      ? listAuditEntries({ ...none, targetType: "customer", targetId: request.customerId, action: "customer.delete" }, 20)
      : Promise.resolve({ entries: [] }),
  ]);
  const entries = [...own.entries, ...erasure.entries.filter((e) => e.summary.request_id === request.id)];
  return entries.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || Number(BigInt(a.id) - BigInt(b.id)));
}

// The receipt (proof of deletion): what was asked, when, what was done, who
// acknowledged it, under which policy; nothing that identifies the person,
// and no free text (a reason may name them; it stays on the request).

export const IDENTIFIER_HASH_EXPLANATION =
  "The tombstone's hash (identifier_hash) is the HMAC-SHA256, under this service's secret key, of the identifier the request named " +
  "(its kind is identifier_kind), normalised: emails lower-cased, phone numbers as + and digits, external ids as given. " +
  "It is all the service keeps of that identifier. It cannot be turned back into the identifier, and without the key it cannot be " +
  "tested against a list; to check it against the identifier you hold, ask the service to compute the hash of that identifier and compare the two.";

export interface DeletionReceipt {
  request_id: string;
  regime: Regime;
  source: DeletionSourceFilter;
  status: DeletionStatus;
  received_at: string;
  due_at: string;
  extension: { amount: number; unit: "months" | "days"; extended_at: string | null };
  erased_at: string | null;
  completed_at: string | null;
  acknowledgements: Array<{
    integration: string;
    status: SignalStatusFilter;
    acknowledged_at: string | null;
    http_status: number | null;
    receiver_reference: string | null;
  }>;
  retention_policy: ReturnType<typeof customerRetention>;
  identifier_hash: string | null;
  identifier_kind: IdentifierKind | null;
  identifier_hash_explanation: string;
  issued_at: string;
}

/** The receipt of one request; null for an unknown or malformed id. */
export async function getDeletionReceipt(id: string, options: { now?: Date } = {}): Promise<DeletionReceipt | null> {
  const request = await getDeletionRequest(id, options);
  if (!request) return null;
  const { driver } = await getDatabase();
  const [tombstone] = await driver.query<{ external_id_hash: string | null; email_hash: string | null; phone_hash: string | null }>(
    `SELECT external_id_hash, email_hash, phone_hash FROM customer_tombstones WHERE request_id = $1::uuid`,
    [request.id],
  );
  const hash = request.identifierHash;
  const kind: IdentifierKind | null =
    hash === null || !tombstone
      ? null
      : hash === tombstone.external_id_hash
        ? "external_id"
        : hash === tombstone.email_hash
          ? "email"
          : hash === tombstone.phone_hash
            ? "phone"
            : null;
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    request_id: request.id,
    regime: request.regime,
    source: request.source,
    status: request.status,
    received_at: request.receivedAt.toISOString(),
    due_at: request.dueAt.toISOString(),
    extension: { amount: request.extension, unit: request.extensionUnit, extended_at: iso(request.extendedAt) },
    erased_at: iso(request.erasedAt),
    completed_at: iso(request.completedAt),
    acknowledgements: request.deliveries.map((d) => ({
      integration: d.integration.name,
      status: d.status,
      acknowledged_at: iso(d.deliveredAt),
      http_status: d.status === "delivered" ? d.lastStatusCode : null,
      receiver_reference: d.status === "delivered" ? d.receiverRef : null,
    })),
    retention_policy: customerRetention(),
    identifier_hash: hash,
    identifier_kind: kind,
    identifier_hash_explanation: IDENTIFIER_HASH_EXPLANATION,
    issued_at: (options.now ?? new Date()).toISOString(),
  };
}
