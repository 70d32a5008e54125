import "server-only";
import { randomUUID } from "node:crypto";
import type { Actor } from "../auth/actor.ts";
import { auditEntriesParam, auditInsertSql } from "../audit/append.ts";
import { getDatabase, type Database } from "../db/index.ts";
import { bindNamed, namedSql } from "../db/named.ts";
import { deletionDefaults } from "./config.ts";
import { APPROVAL_WINDOW_HOURS, approvalRefusal, initialBatchStatus } from "./bulk-approval.ts";
import { ROW_OUTCOMES, type BatchStatus, type RowOutcome } from "./bulk-labels.ts";
import { parseDeletionCsv, type CsvIdentifierKind } from "./csv.ts";
import { dueAt, type Regime } from "./deadlines.ts";
import { ApprovalRefusedError } from "./errors.ts";
import type { TextSubject } from "./free-text.ts";
import { tombstoneRequests } from "./lookup.ts";
import { wakeDeletionProcessors } from "./processor-wake.ts";
import { IDENTIFIER_COLUMNS, scrubOnWrite, scrubOptionalOnWrite, subjectOf, type IdentifierColumns } from "./scrub-texts.ts";
import { identifierHash, tombstoneSecret } from "./tombstone.ts";

// A bulk deletion from a CSV (issue 11, item 5): the upload creates the batch
// and its rows in one transaction, each row resolved at once: a customer to
// erase (with a deletion request, `received`, or the one already made), or
// `already_erased` (the tombstone knows it), `not_found`, `invalid`. A row
// keeps only the kind of identifier and its keyed hash, never the value. A
// batch that takes its uploader past APPROVAL_THRESHOLD customers within 24
// hours waits for a second person (lib/deletions/bulk-approval.ts); otherwise
// it is queued and the processor (lib/deletions/processor.ts) erases it in the
// background. The batch's reason and file name are kept once, on the batch,
// without the identifiers of anyone the file lists (lib/deletions/free-text.ts).

export { APPROVAL_THRESHOLD, type BatchStatus, type RowOutcome } from "./bulk-labels.ts";

export const ROW_MESSAGES = {
  notFound: "No customer with this identifier.",
  ambiguous: "Several customers have this email: list them by external id instead.",
  alreadyErased: "Erased before, by an earlier request.",
  requested: "A deletion request for this customer was already open; this row follows it.",
  withdrawn: "The deletion request for this row was withdrawn before it was processed.",
  erasedMeanwhile: "Erased meanwhile by its own request, before this batch was rejected.",
  duplicate: (row: number) => `The same customer as row ${row}.`,
} as const;

/** The whole file is refused (413 too large, 422 unreadable): nothing was written. */
export class BulkUploadError extends Error {
  constructor(
    readonly status: 413 | 422,
    message: string,
    readonly field = "file",
  ) {
    super(message);
    this.name = "BulkUploadError";
  }
}

export interface UploadBatchInput {
  csv: Uint8Array | string;
  fileName: string;
  regime?: Regime;
  reason?: string | null;
  actor: Actor;
}

export interface UploadedBatch {
  id: string;
  status: BatchStatus;
  totalRows: number;
  toErase: number;
  /** Customers the same uploader asked to erase through bulk in the 24 hours before (bulk-approval.ts). */
  recentToErase: number;
  counts: Record<RowOutcome, number>;
}

/** The customers one uploader (a person, or a key made from the command line) asked to erase through bulk since :since. */
const RECENT_SQL = namedSql<{ uploader: string; since: Date }>(`
  SELECT count(DISTINCT r.request_id)::int AS n
  FROM deletion_batches b JOIN deletion_batch_rows r ON r.batch_id = b.id
  WHERE coalesce(b.uploaded_by_person_id, b.created_by_id) = :uploader AND b.created_at > :since AND b.status <> 'rejected'
    AND r.request_id IS NOT NULL AND (r.outcome IS NULL OR r.outcome = 'erased')`);

/** Two uploads by one uploader count one after the other, never both against the same total. */
const UPLOADER_LOCK_SQL = namedSql<{ uploader: string }>(
  `SELECT pg_advisory_xact_lock(hashtextextended('deletion-bulk:' || :uploader, 0))`,
);

/** An API key's creator, as recorded when it was made (NULL: from the command line). */
const KEY_CREATOR_SQL = namedSql<{ id: string }>(`SELECT created_by_id FROM api_keys WHERE id = :id::uuid`);

/**
 * The person behind an upload: a signed-in user themselves; for an API key,
 * the user who created it, or null for a key made from the command line.
 * Four eyes and the 24-hour count are about people, not keys.
 */
async function personBehind(tx: Pick<Database["driver"], "query">, actor: Actor): Promise<string | null> {
  if (actor.kind === "user") return actor.id;
  const [key] = await tx.query<{ created_by_id: string | null }>(KEY_CREATOR_SQL.text, bindNamed(KEY_CREATOR_SQL, { id: actor.id }));
  return key?.created_by_id ?? null;
}

type Candidate = { id: string } & IdentifierColumns;
const CANDIDATE_COLUMNS = `id, ${IDENTIFIER_COLUMNS}`;

type Resolved = {
  row: number;
  kind: CsvIdentifierKind | null;
  hash: string | null;
  outcome: RowOutcome | null;
  message: string | null;
  request_id: string | null;
  customer?: string;
};

const safeFileName = (name: string) =>
  (name.split(/[\\/]/).pop() ?? "")
    .replace(/[\u0000-\u001f\u007f]/g, "")
    .trim()
    .slice(0, 200) || "upload.csv";

/** Reads, resolves and stores a bulk deletion; throws BulkUploadError for a file it cannot take. */
export async function uploadDeletionBatch(input: UploadBatchInput, database?: Database): Promise<UploadedBatch> {
  const parsed = parseDeletionCsv(input.csv);
  if (!parsed.ok) throw new BulkUploadError(parsed.status, parsed.message);
  const db = database ?? (await getDatabase());
  const secret = tombstoneSecret();
  const defaults = deletionDefaults();
  const regime = input.regime ?? defaults.regime;
  const id = randomUUID();

  const rows: Resolved[] = parsed.rows.map((r) =>
    "invalid" in r
      ? { row: r.row, kind: r.kind, hash: null, outcome: "invalid", message: r.invalid, request_id: null }
      : { row: r.row, kind: r.kind, hash: identifierHash(r.kind, r.value, secret), outcome: null, message: null, request_id: null },
  );
  const values = (kind: CsvIdentifierKind) => [...new Set(parsed.rows.flatMap((r) => ("value" in r && r.kind === kind ? [r.value] : [])))];
  const externalIds = values("external_id");
  const emails = values("email");
  const valueOf = new Map(parsed.rows.map((r) => [r.row, "value" in r ? r.value : null]));

  const result = await db.driver.transaction(async (tx) => {
    const listed = new Map<string, Candidate>();
    const byExternalId = new Map(
      (
        await tx.query<Candidate>(`SELECT ${CANDIDATE_COLUMNS} FROM customers WHERE external_id = ANY($1::text[]) AND erased_at IS NULL`, [
          externalIds,
        ])
      ).map((c) => {
        listed.set(c.id, c);
        return [c.external_id!, c.id];
      }),
    );
    const byEmail = new Map<string, string[]>();
    for (const c of await tx.query<Candidate>(
      `SELECT ${CANDIDATE_COLUMNS} FROM customers WHERE email = ANY($1::text[]) AND erased_at IS NULL`,
      [emails],
    )) {
      listed.set(c.id, c);
      byEmail.set(c.email!, [...(byEmail.get(c.email!) ?? []), c.id]);
    }
    const erasedExternal = await tombstoneRequests(
      tx,
      "external_id",
      externalIds.filter((v) => !byExternalId.has(v)),
    );
    const erasedEmail = await tombstoneRequests(
      tx,
      "email",
      emails.filter((v) => !byEmail.has(v)),
    );

    const firstRowOf = new Map<string, number>();
    for (const r of rows) {
      if (r.outcome !== null) continue;
      const value = valueOf.get(r.row)!;
      const found = r.kind === "email" ? (byEmail.get(value) ?? []) : byExternalId.has(value) ? [byExternalId.get(value)!] : [];
      if (found.length > 1) {
        Object.assign(r, { outcome: "invalid", message: ROW_MESSAGES.ambiguous });
      } else if (found.length === 1) {
        r.customer = found[0]!;
        const first = firstRowOf.get(r.customer);
        if (first === undefined) firstRowOf.set(r.customer, r.row);
        else r.message = ROW_MESSAGES.duplicate(first);
      } else {
        const earlier = (r.kind === "email" ? erasedEmail : erasedExternal).get(value);
        if (earlier) Object.assign(r, { outcome: "already_erased", message: ROW_MESSAGES.alreadyErased, request_id: earlier });
        else Object.assign(r, { outcome: "not_found", message: ROW_MESSAGES.notFound });
      }
    }

    const customers = [...firstRowOf.keys()];
    const toErase = customers.length;
    const now = new Date();
    const person = await personBehind(tx, input.actor);
    const uploader = person ?? input.actor.id;
    await tx.query(UPLOADER_LOCK_SQL.text, bindNamed(UPLOADER_LOCK_SQL, { uploader }));
    const since = new Date(now.getTime() - APPROVAL_WINDOW_HOURS * 3_600_000);
    const [recent] = await tx.query<{ n: number }>(RECENT_SQL.text, bindNamed(RECENT_SQL, { uploader, since }));
    const recentToErase = recent?.n ?? 0;
    const status = initialBatchStatus(toErase, recentToErase);

    // Whoever the file lists: the customers found, every value as typed, and those erased before (by their tombstones).
    const subjects: TextSubject[] = [
      ...[...listed.values()].map(subjectOf),
      ...parsed.rows.flatMap((r) => ("value" in r ? [r.kind === "email" ? { email: r.value } : { externalId: r.value }] : [])),
    ];
    const about = { subjects, erasedRequestIds: [...new Set([...erasedExternal.values(), ...erasedEmail.values()])] };
    const reason = await scrubOptionalOnWrite(tx, input.reason, about);
    const fileName = await scrubOnWrite(tx, safeFileName(input.fileName), about);
    await tx.query(
      `INSERT INTO deletion_batches (id, status, regime, reason, file_name, total_rows, processed_rows, created_by_id, created_by_type,
         uploaded_by_person_id, recent_to_erase, created_by_label, created_at, finished_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
        id,
        status,
        regime,
        reason,
        fileName,
        rows.length,
        rows.filter((r) => r.outcome !== null).length,
        input.actor.id,
        input.actor.kind,
        person,
        recentToErase,
        input.actor.label,
        now,
        status === "done" ? now : null,
      ],
    );
    // One request per customer (a unique index): a customer already asked for keeps that request, and this row follows it.
    // Its reason is the batch's, kept once on the batch.
    await tx.query(
      `INSERT INTO deletion_requests (customer_id, source, regime, reason, requested_by_type, requested_by_id, requested_by_label, received_at, due_at, batch_id)
       SELECT c, 'bulk', $2, $3, $4, $5, $6, $7, $8, $9 FROM unnest($1::uuid[]) AS c
       ON CONFLICT (customer_id) DO NOTHING`,
      [
        customers,
        regime,
        null,
        input.actor.kind,
        input.actor.id,
        input.actor.label,
        now,
        dueAt({ regime, receivedAt: now, timeZone: defaults.timeZone }),
        id,
      ],
    );
    const requests = new Map(
      (
        await tx.query<{ id: string; customer_id: string; batch_id: string | null }>(
          `SELECT id, customer_id, batch_id FROM deletion_requests WHERE customer_id = ANY($1::uuid[])`,
          [customers],
        )
      ).map((r) => [r.customer_id, r]),
    );
    for (const r of rows) {
      if (!r.customer) continue;
      const request = requests.get(r.customer)!;
      r.request_id = request.id;
      if (request.batch_id !== id && r.message === null) r.message = ROW_MESSAGES.requested;
    }
    await tx.query(
      `INSERT INTO deletion_batch_rows (batch_id, row_no, identifier_kind, identifier_hash, outcome, message, request_id)
       SELECT $1, r.row_no, r.kind, r.hash, r.outcome::deletion_row_outcome, r.message, r.request_id
       FROM jsonb_to_recordset($2::jsonb) AS r(row_no int, kind text, hash text, outcome text, message text, request_id uuid)`,
      [
        id,
        JSON.stringify(
          rows.map((r) => ({
            row_no: r.row,
            kind: r.kind,
            hash: r.hash,
            outcome: r.outcome,
            message: r.message,
            request_id: r.request_id,
          })),
        ),
      ],
    );
    const counts = Object.fromEntries(ROW_OUTCOMES.map((o) => [o, rows.filter((r) => r.outcome === o).length])) as Record<
      RowOutcome,
      number
    >;
    await tx.query(`${auditInsertSql({ param: 1 })}`, [
      auditEntriesParam([
        {
          actor: input.actor,
          action: "deletion_batch.upload",
          target: { type: "deletion_batch", id },
          summary: { regime, total_rows: rows.length, to_erase: toErase, recent_to_erase: recentToErase, ...counts, status },
        },
      ]),
    ]);
    return { id, status, totalRows: rows.length, toErase, recentToErase, counts };
  });
  if (result.status === "queued") wakeDeletionProcessors();
  return result;
}

type BatchRef = {
  id: string;
  status: BatchStatus;
  created_by_id: string | null;
  created_by_type: "user" | "api_key";
  uploaded_by_person_id: string | null;
};

async function lockBatch(tx: Pick<Database["driver"], "query">, id: string): Promise<BatchRef | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  const [batch] = await tx.query<BatchRef>(
    `SELECT id, status, created_by_id, created_by_type, uploaded_by_person_id FROM deletion_batches WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return batch ?? null;
}

/** Throws ApprovalRefusedError unless `actor` may decide on `batch` (bulk-approval.ts). */
function assertMayDecide(batch: BatchRef, actor: Actor): void {
  const refused = approvalRefusal(
    {
      status: batch.status,
      createdById: batch.created_by_id,
      createdByType: batch.created_by_type,
      uploadedByPersonId: batch.uploaded_by_person_id,
    },
    actor,
  );
  if (refused) throw new ApprovalRefusedError(refused);
}

export class BatchNotFoundError extends Error {
  constructor() {
    super("No bulk deletion with this id.");
    this.name = "BatchNotFoundError";
  }
}

/** Approves a batch waiting for approval: it is queued and the processor erases it. Only by a signed-in person other than the uploader. */
export async function approveDeletionBatch(id: string, actor: Actor, database?: Database): Promise<{ id: string; status: BatchStatus }> {
  const db = database ?? (await getDatabase());
  await db.driver.transaction(async (tx) => {
    const batch = await lockBatch(tx, id);
    if (!batch) throw new BatchNotFoundError();
    assertMayDecide(batch, actor);
    await tx.query(
      `WITH up AS (UPDATE deletion_batches SET status = 'queued', approved_by_id = $2, approved_by_label = $3, approved_at = now() WHERE id = $1 RETURNING id)
       ${auditInsertSql({ param: 4, when: "EXISTS (SELECT 1 FROM up)" })}`,
      [
        id,
        actor.id,
        actor.label,
        auditEntriesParam([
          { actor, action: "deletion_batch.approve", target: { type: "deletion_batch", id }, summary: { status: "queued" } },
        ]),
      ],
    );
  });
  wakeDeletionProcessors();
  return { id, status: "queued" };
}

/**
 * Rejects a batch waiting for approval: nothing in it is erased, and the
 * requests it created (still `received`) are removed, unless another batch's
 * row follows one of them. Not by its uploader.
 */
export async function rejectDeletionBatch(
  id: string,
  actor: Actor,
  database?: Database,
): Promise<{ id: string; status: BatchStatus; removed: number }> {
  const db = database ?? (await getDatabase());
  return db.driver.transaction(async (tx) => {
    const batch = await lockBatch(tx, id);
    if (!batch) throw new BatchNotFoundError();
    assertMayDecide(batch, actor);
    const removed = await tx.query(
      `DELETE FROM deletion_requests r WHERE r.batch_id = $1 AND r.status = 'received'
         AND NOT EXISTS (SELECT 1 FROM deletion_batch_rows o WHERE o.request_id = r.id AND o.batch_id <> $1) RETURNING 1`,
      [id],
    );
    await tx.query(
      `UPDATE deletion_batch_rows b SET request_id = NULL, message = $2
       WHERE b.batch_id = $1 AND b.outcome IS NULL AND NOT EXISTS (SELECT 1 FROM deletion_requests r WHERE r.id = b.request_id)`,
      [id, ROW_MESSAGES.withdrawn],
    );
    // A row whose customer was erased meanwhile (from the dashboard or the API, under this batch's request) says so.
    await tx.query(
      `UPDATE deletion_batch_rows b SET outcome = 'already_erased', message = $2
       FROM deletion_requests r WHERE b.batch_id = $1 AND b.outcome IS NULL AND r.id = b.request_id AND r.status <> 'received'`,
      [id, ROW_MESSAGES.erasedMeanwhile],
    );
    await tx.query(
      `WITH up AS (UPDATE deletion_batches SET status = 'rejected', approved_by_id = $2, approved_by_label = $3, approved_at = now(), finished_at = now()
                   WHERE id = $1 RETURNING id)
       ${auditInsertSql({ param: 4, when: "EXISTS (SELECT 1 FROM up)" })}`,
      [
        id,
        actor.id,
        actor.label,
        auditEntriesParam([
          { actor, action: "deletion_batch.reject", target: { type: "deletion_batch", id }, summary: { requests_removed: removed.length } },
        ]),
      ],
    );
    return { id, status: "rejected" as const, removed: removed.length };
  });
}
