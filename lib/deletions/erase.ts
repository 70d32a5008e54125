import "server-only";
import type { Actor } from "../auth/actor.ts";
import { auditInsertSql, auditEntriesParam, type AuditEntryInput, type SystemActor } from "../audit/append.ts";
import type { SqlDriver } from "../db/driver.ts";
import { getDatabase, type Database } from "../db/index.ts";
import { deletionDefaults } from "./config.ts";
import { dueAt, type Regime } from "./deadlines.ts";
import { CustomerNotFoundError } from "./errors.ts";
import { erasedColumns } from "./retention.ts";
import type { DeletionStatus } from "./status.ts";
import { IDENTIFIER_COLUMNS, scrubOptionalOnWrite, scrubRequestTexts, subjectOf, type IdentifierColumns } from "./scrub-texts.ts";
import { identifierHash, nameHashes, tombstoneHashes, tombstoneSecret } from "./tombstone.ts";

// A customer's erasure (PRODUCT.md, "Deletion"), in one transaction: the
// customer leaves every audience and journey; what identifies them is erased
// wherever it is stored, as lib/deletions/retention.ts declares; the totals
// reporting needs stay, without the person; the tombstone keeps keyed hashes
// of the identifiers; and one delete signal is queued per integration. If any
// statement fails, nothing is written. A repeated request answers the
// request already made.

type Tx = Pick<SqlDriver, "query">;

export type DeletionSourceName = "dashboard" | "api" | "bulk";

export type CustomerKey = { id: string } | { externalId: string };

export interface RequestDeletionInput {
  customer: CustomerKey;
  source: DeletionSourceName;
  regime?: Regime;
  reason?: string | null;
  actor: Actor | SystemActor;
}

export interface DeletionRequestRef {
  id: string;
  customerId: string | null;
  status: DeletionStatus;
  regime: Regime;
  receivedAt: Date;
  dueAt: Date;
}

export interface ErasureSummary {
  audiences: number;
  journeys: number;
  events: number;
  consent_changes: number;
  signals_dropped: number;
  integrations: number;
}

export interface RequestDeletionResult {
  request: DeletionRequestRef;
  /** false: the customer was already erased (or asked for); `request` is that request, unchanged. */
  created: boolean;
}

type CustomerRow = { id: string; erased_at: Date | string | null } & IdentifierColumns;

/** The columns eraseCustomer needs of the locked customer row. */
const CUSTOMER_COLUMNS = `id, ${IDENTIFIER_COLUMNS}, erased_at`;
type RequestRow = {
  id: string;
  customer_id: string | null;
  status: DeletionStatus;
  regime: Regime;
  received_at: Date | string;
  due_at: Date | string;
};

const REQUEST_COLUMNS = "id, customer_id, status, regime, received_at, due_at";

function toRef(row: RequestRow): DeletionRequestRef {
  return {
    id: row.id,
    customerId: row.customer_id,
    status: row.status,
    regime: row.regime,
    receivedAt: new Date(row.received_at),
    dueAt: new Date(row.due_at),
  };
}

const LOCK = {
  id: `SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE id = $1 FOR UPDATE`,
  externalId: `SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE external_id = $1 FOR UPDATE`,
};

/** The SET list that empties a table's erased columns (retention.ts). */
function eraseSet(table: string): { set: string; changed: string } {
  const columns = erasedColumns(table);
  return {
    set: columns.map((c) => `${c.column} = ${c.sql}`).join(", "),
    changed: columns.map((c) => `${c.column} IS DISTINCT FROM ${c.sql}`).join(" OR "),
  };
}

const EVENTS = eraseSet("loyalty_events");
const HISTORY = eraseSet("consent_changes");
const CONSENT = eraseSet("customer_consents");
const PROFILE = eraseSet("customers");

/** The erasure's statements, each taking the customer's id as $1. */
const ERASE = {
  // The history is append-only; an erasure opts in for its own transaction only.
  optIn: `SELECT set_config('consent_desk.erasure', 'on', true)`,
  audiences: `WITH gone AS (DELETE FROM audience_memberships WHERE customer_id = $1 RETURNING audience_id, joined_at)
    INSERT INTO audience_past_memberships (audience_id, joined_at, left_at) SELECT audience_id, joined_at, $2 FROM gone RETURNING 1`,
  journeys: `UPDATE journey_enrolments SET status = 'exited' WHERE customer_id = $1 AND status = 'active' RETURNING 1`,
  events: `WITH scrubbed AS (UPDATE loyalty_events SET ${EVENTS.set} WHERE customer_id = $1 AND (${EVENTS.changed}) RETURNING 1)
    SELECT (SELECT count(*) FROM loyalty_events WHERE customer_id = $1)::int AS kept, (SELECT count(*) FROM scrubbed)::int AS scrubbed`,
  history: `UPDATE consent_changes SET ${HISTORY.set} WHERE customer_id = $1 AND (${HISTORY.changed}) RETURNING 1`,
  consent: `UPDATE customer_consents SET ${CONSENT.set} WHERE customer_id = $1 AND (${CONSENT.changed})`,
  // Undelivered consent changes are superseded by the delete signal; delivered ones keep their record, under the hash.
  // A claimed one may be on its way right now: its lease says until when (see the delete signals below).
  dropSignals: `DELETE FROM integration_signals WHERE customer_id = $1 AND kind = 'consent_change' AND status <> 'delivered'
    RETURNING integration_id, lease_until`,
  // The receivers' references too, which may echo the external id they were sent (migration 20261204500000).
  scrubSignals: `WITH sent AS (
      SELECT id, payload ->> 'customer_id' AS external_id FROM integration_signals
      WHERE customer_id = $1 AND kind = 'consent_change' AND payload ->> 'customer_id' IS DISTINCT FROM $2::text
    ), attempts AS (
      UPDATE delivery_attempts a SET receiver_ref = deletion_scrub_reference(a.receiver_ref, sent.external_id, $2::text)
      FROM sent WHERE a.signal_id = sent.id AND a.receiver_ref IS NOT NULL
        AND a.receiver_ref IS DISTINCT FROM deletion_scrub_reference(a.receiver_ref, sent.external_id, $2::text)
    )
    UPDATE integration_signals s SET payload = s.payload || jsonb_build_object('customer_id', $2::text),
      receiver_ref = deletion_scrub_reference(s.receiver_ref, sent.external_id, $2::text)
    FROM sent WHERE s.id = sent.id`,
  profile: `UPDATE customers SET ${PROFILE.set}, erased_at = $2, updated_at = $2 WHERE id = $1`,
} as const;

/**
 * Asks for a customer's deletion and erases them at once, in one
 * transaction. An unknown customer throws CustomerNotFoundError; an external
 * id that was erased before is recognised through the tombstone and answers
 * that request (created: false), as does a customer already erased.
 */
export async function requestDeletion(input: RequestDeletionInput, database?: Database): Promise<RequestDeletionResult> {
  const db = database ?? (await getDatabase());
  const secret = tombstoneSecret();
  const defaults = deletionDefaults();
  return db.driver.transaction(async (tx) => {
    const by = "id" in input.customer ? "id" : "externalId";
    const key = "id" in input.customer ? input.customer.id : input.customer.externalId;
    const [customer] = await tx.query<CustomerRow>(LOCK[by], [key]);
    if (!customer) {
      const earlier = by === "externalId" ? await requestByTombstone(tx, identifierHash("external_id", key, secret)) : null;
      if (earlier) return { request: earlier, created: false };
      throw new CustomerNotFoundError();
    }
    const [existing] = await tx.query<RequestRow>(`SELECT ${REQUEST_COLUMNS} FROM deletion_requests WHERE customer_id = $1`, [customer.id]);
    if (customer.erased_at !== null && existing) return { request: toRef(existing), created: false };

    const now = new Date();
    const regime = input.regime ?? defaults.regime;
    // Scrubbed as written (lib/deletions/free-text.ts), and again at the erasure below.
    const reason = existing ? null : await scrubOptionalOnWrite(tx, input.reason, { subjects: [subjectOf(customer)] });
    // ON CONFLICT: a bulk upload may have opened a request for this customer meanwhile (it does not lock the customer); that one is erased.
    const [inserted] = existing
      ? [existing]
      : await tx.query<RequestRow>(
          `INSERT INTO deletion_requests (customer_id, source, regime, reason, requested_by_type, requested_by_id, requested_by_label, received_at, due_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (customer_id) DO NOTHING RETURNING ${REQUEST_COLUMNS}`,
          [
            customer.id,
            input.source,
            regime,
            reason,
            input.actor.kind,
            input.actor.id ?? null,
            input.actor.label,
            now,
            dueAt({ regime, receivedAt: now, timeZone: defaults.timeZone }),
          ],
        );
    const opened = inserted === undefined || inserted === existing ? null : inserted;
    const request =
      inserted ??
      (await tx.query<RequestRow>(`SELECT ${REQUEST_COLUMNS} FROM deletion_requests WHERE customer_id = $1`, [customer.id]))[0]!;
    const erased = await eraseCustomer(tx, customer, request.id, now, secret, {
      requested: opened ? { actor: input.actor, source: input.source, regime } : null,
      actor: input.actor,
    });
    return { request: { ...toRef(request), status: erased.status }, created: opened !== null };
  });
}

async function requestByTombstone(tx: Tx, externalIdHash: string): Promise<DeletionRequestRef | null> {
  const [row] = await tx.query<RequestRow>(
    `SELECT ${REQUEST_COLUMNS.split(", ")
      .map((c) => `r.${c}`)
      .join(", ")} FROM customer_tombstones t JOIN deletion_requests r ON r.id = t.request_id WHERE t.external_id_hash = $1 LIMIT 1`,
    [externalIdHash],
  );
  return row ? toRef(row) : null;
}

/**
 * Erases a customer whose row `tx` has locked (FOR UPDATE) under request
 * `requestId`, already inserted. The request's own audit entry
 * (deletion.request) goes in the same statement as the erasure's when
 * `requested` is given: one audit insert per transaction.
 */
export async function eraseCustomer(
  tx: Tx,
  customer: CustomerRow,
  requestId: string,
  now: Date,
  secret: string,
  audit: { requested: { actor: Actor | SystemActor; source: DeletionSourceName; regime: Regime } | null; actor: Actor | SystemActor },
): Promise<{ status: DeletionStatus; summary: ErasureSummary }> {
  const hashes = tombstoneHashes(customer, secret);
  const requestHash = hashes.external_id_hash ?? hashes.email_hash ?? hashes.phone_hash;
  const id = customer.id;
  await tx.query(ERASE.optIn);
  const audiences = (await tx.query(ERASE.audiences, [id, now])).length;
  const journeys = (await tx.query(ERASE.journeys, [id])).length;
  const [events] = await tx.query<{ kept: number }>(ERASE.events, [id]);
  const history = (await tx.query(ERASE.history, [id])).length;
  await tx.query(ERASE.consent, [id]);
  const dropped = await tx.query<{ integration_id: string; lease_until: Date | string | null }>(ERASE.dropSignals, [id]);
  const inFlight = dropped.flatMap((d) =>
    d.lease_until === null ? [] : [{ integration_id: d.integration_id, until: new Date(d.lease_until) }],
  );
  await tx.query(ERASE.scrubSignals, [id, requestHash]);
  await tx.query(ERASE.profile, [id, now]);
  await tx.query(
    `INSERT INTO customer_tombstones (customer_id, request_id, external_id_hash, email_hash, phone_hash, name_hashes, erased_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [id, requestId, hashes.external_id_hash, hashes.email_hash, hashes.phone_hash, nameHashes(customer.name, secret), now],
  );
  // One delete signal per integration, paused ones too: theirs wait in the
  // queue until resumed (the worker claims only enabled integrations'), so a
  // paused tool is still told. Only the external id: what it needs to find the person.
  // Where a dropped consent change was claimed, its request may still be on the
  // way: the delete falls due when that claim's lease ends, so the integration
  // never hears of a consent change after the deletion.
  const signals = await tx.query<{ id: string }>(
    `INSERT INTO integration_signals (integration_id, customer_id, kind, deletion_request_id, payload, next_attempt_at)
     SELECT i.id, $1, 'delete', $2::uuid, jsonb_build_object('customer_id', $3::text, 'request_id', $2::uuid::text, 'erased_at', $4::timestamptz),
       greatest(now(), held.until)
     FROM integrations i
     LEFT JOIN (SELECT h.integration_id, max(h.until) AS until FROM jsonb_to_recordset($5::jsonb) AS h(integration_id uuid, until timestamptz)
                GROUP BY h.integration_id) held ON held.integration_id = i.id
     ORDER BY i.name RETURNING id`,
    [id, requestId, customer.external_id, now, JSON.stringify(inFlight)],
  );
  const summary: ErasureSummary = {
    audiences,
    journeys,
    events: events?.kept ?? 0,
    consent_changes: history,
    signals_dropped: dropped.length,
    integrations: signals.length,
  };
  const status: DeletionStatus = signals.length === 0 ? "completed" : "erased";
  // The free text about the request (its reasons, its batches' reasons and file names) loses the person, in every copy.
  await scrubRequestTexts(tx, requestId, [subjectOf(customer)]);
  const entries: AuditEntryInput[] = [];
  const target = { type: "deletion_request", id: requestId };
  if (audit.requested) {
    entries.push({
      actor: audit.requested.actor,
      action: "deletion.request",
      target,
      summary: { source: audit.requested.source, regime: audit.requested.regime, customer_id: id },
    });
  }
  entries.push({
    actor: audit.actor,
    action: "customer.delete",
    target: { type: "customer", id },
    summary: { request_id: requestId, ...summary },
  });
  await tx.query(
    `WITH req AS (
       UPDATE deletion_requests SET status = $2::deletion_status, erased_at = $3, completed_at = CASE WHEN $2::deletion_status = 'completed' THEN $3::timestamptz END,
         identifier_hash = $4, summary = $5 WHERE id = $1 RETURNING id
     ), audit AS (${auditInsertSql({ param: 6, when: "EXISTS (SELECT 1 FROM req)" })} RETURNING id)
     SELECT (SELECT count(*) FROM audit)::int AS audited`,
    [requestId, status, now, requestHash, JSON.stringify(summary), auditEntriesParam(entries)],
  );
  return { status, summary };
}

export type ReceivedErasureOutcome = "erased" | "already_erased" | "missing";

export interface EraseReceivedOptions {
  /** Who the erasure's audit entries name; default the system (a bulk deletion's processor names itself). */
  actor?: Actor | SystemActor;
  /**
   * Runs in the same transaction, after the request and its customer are
   * locked and before anything is erased, with what is about to happen: the
   * caller's own bookkeeping (a batch row's outcome) commits with the erasure
   * or not at all. Throwing rolls the erasure back.
   */
  before?: (tx: Tx, outcome: ReceivedErasureOutcome) => Promise<void>;
  now?: Date;
}

/**
 * Erases the customer of a request already received (a bulk deletion's,
 * lib/deletions/bulk.ts), in its own transaction, through eraseCustomer: the
 * request and the customer are locked first, so of two processors reaching
 * the same request the second finds it erased ("already_erased") and writes
 * nothing. "missing": no such request any more (its batch was rejected).
 */
export async function eraseReceivedRequest(
  requestId: string,
  options: EraseReceivedOptions = {},
  database?: Database,
): Promise<{ outcome: ReceivedErasureOutcome; status: DeletionStatus | null }> {
  const db = database ?? (await getDatabase());
  const actor = options.actor ?? ({ kind: "system", label: "Deletion processor" } satisfies SystemActor);
  const secret = tombstoneSecret();
  return db.driver.transaction(async (tx) => {
    // The customer first, then the request: the order requestDeletion locks them in, so the two never deadlock.
    const [customer] = await tx.query<CustomerRow>(
      `SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE id = (SELECT customer_id FROM deletion_requests WHERE id = $1) FOR UPDATE`,
      [requestId],
    );
    const [row] = await tx.query<{ status: DeletionStatus; regime: Regime; source: DeletionSourceName }>(
      `SELECT status, regime, source FROM deletion_requests WHERE id = $1 FOR UPDATE`,
      [requestId],
    );
    if (!row) {
      await options.before?.(tx, "missing");
      return { outcome: "missing" as const, status: null };
    }
    if (row.status !== "received" || !customer || customer.erased_at !== null) {
      await options.before?.(tx, "already_erased");
      return { outcome: "already_erased" as const, status: row.status };
    }
    await options.before?.(tx, "erased");
    const erased = await eraseCustomer(tx, customer, requestId, options.now ?? new Date(), secret, {
      requested: { actor, source: row.source, regime: row.regime },
      actor,
    });
    return { outcome: "erased" as const, status: erased.status };
  });
}
