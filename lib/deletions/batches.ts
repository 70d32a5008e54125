import "server-only";
import { getDatabase } from "../db/index.ts";
import { rowState, type BatchStatus, type RowOutcome } from "./bulk-labels.ts";
import type { Regime } from "./deadlines.ts";

// Reading bulk deletions: the list, one batch with its counts and progress,
// its rows a page at a time, and the result as CSV. Ids that are not UUIDs
// answer null (the page's 404, the API's 404), never a database error.

export const BATCH_ROWS_PAGE_SIZE = 50;
export const BATCH_LIST_LIMIT = 50;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => UUID.test(value);

export interface BatchView {
  id: string;
  status: BatchStatus;
  regime: Regime;
  reason: string | null;
  fileName: string;
  totalRows: number;
  processedRows: number;
  /** Who uploaded it: a user or an API key, and the person behind it (the user, or the key's creator; null for a command-line key). */
  createdBy: { id: string | null; label: string; type: "user" | "api_key"; personId: string | null };
  createdAt: Date;
  decidedBy: { id: string | null; label: string } | null;
  decidedAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  counts: Record<RowOutcome | "pending", number>;
  /** Distinct customers the batch erases (or would, once approved). */
  toErase: number;
  /** Customers the same uploader asked to erase in bulk in the 24 hours before this upload (bulk-approval.ts). */
  recentToErase: number;
}

type BatchRow = {
  id: string;
  status: BatchStatus;
  regime: Regime;
  reason: string | null;
  file_name: string;
  total_rows: number;
  processed_rows: number;
  created_by_id: string | null;
  created_by_label: string;
  created_by_type: "user" | "api_key";
  uploaded_by_person_id: string | null;
  recent_to_erase: number;
  created_at: Date | string;
  approved_by_id: string | null;
  approved_by_label: string | null;
  approved_at: Date | string | null;
  started_at: Date | string | null;
  finished_at: Date | string | null;
  erased: string | number;
  already_erased: string | number;
  not_found: string | number;
  invalid: string | number;
  pending: string | number;
  to_erase: string | number;
};

const date = (v: Date | string | null) => (v === null ? null : new Date(v));

const SELECT = `
  SELECT b.id, b.status, b.regime, b.reason, b.file_name, b.total_rows, b.processed_rows, b.created_by_id, b.created_by_label,
         b.created_by_type, b.uploaded_by_person_id, b.recent_to_erase, b.created_at,
         b.approved_by_id, b.approved_by_label, b.approved_at, b.started_at, b.finished_at,
         (SELECT count(*) FROM deletion_batch_rows r WHERE r.batch_id = b.id AND r.outcome = 'erased') AS erased,
         (SELECT count(*) FROM deletion_batch_rows r WHERE r.batch_id = b.id AND r.outcome = 'already_erased') AS already_erased,
         (SELECT count(*) FROM deletion_batch_rows r WHERE r.batch_id = b.id AND r.outcome = 'not_found') AS not_found,
         (SELECT count(*) FROM deletion_batch_rows r WHERE r.batch_id = b.id AND r.outcome = 'invalid') AS invalid,
         (SELECT count(*) FROM deletion_batch_rows r WHERE r.batch_id = b.id AND r.outcome IS NULL) AS pending,
         (SELECT count(DISTINCT r.request_id) FROM deletion_batch_rows r WHERE r.batch_id = b.id AND r.request_id IS NOT NULL
            AND (r.outcome IS NULL OR r.outcome = 'erased')) AS to_erase
  FROM deletion_batches b`;

function toView(r: BatchRow): BatchView {
  return {
    id: r.id,
    status: r.status,
    regime: r.regime,
    reason: r.reason,
    fileName: r.file_name,
    totalRows: r.total_rows,
    processedRows: r.processed_rows,
    createdBy: { id: r.created_by_id, label: r.created_by_label, type: r.created_by_type, personId: r.uploaded_by_person_id },
    createdAt: new Date(r.created_at),
    decidedBy: r.approved_by_label === null ? null : { id: r.approved_by_id, label: r.approved_by_label },
    decidedAt: date(r.approved_at),
    startedAt: date(r.started_at),
    finishedAt: date(r.finished_at),
    counts: {
      erased: Number(r.erased),
      already_erased: Number(r.already_erased),
      not_found: Number(r.not_found),
      invalid: Number(r.invalid),
      pending: Number(r.pending),
    },
    toErase: Number(r.to_erase),
    recentToErase: r.recent_to_erase,
  };
}

export async function listDeletionBatches(): Promise<BatchView[]> {
  const { driver } = await getDatabase();
  const rows = await driver.query<BatchRow>(`${SELECT} ORDER BY b.created_at DESC, b.id DESC LIMIT ${BATCH_LIST_LIMIT}`);
  return rows.map(toView);
}

export async function getDeletionBatch(id: string): Promise<BatchView | null> {
  if (!isUuid(id)) return null;
  const { driver } = await getDatabase();
  const [row] = await driver.query<BatchRow>(`${SELECT} WHERE b.id = $1`, [id]);
  return row ? toView(row) : null;
}

export interface BatchRowView {
  row: number;
  outcome: RowOutcome | null;
  message: string | null;
  requestId: string | null;
  identifierKind: "external_id" | "email" | null;
}

type StoredRow = {
  row_no: number;
  outcome: RowOutcome | null;
  message: string | null;
  request_id: string | null;
  identifier_kind: string | null;
};
const toRow = (r: StoredRow): BatchRowView => ({
  row: r.row_no,
  outcome: r.outcome,
  message: r.message,
  requestId: r.request_id,
  identifierKind: r.identifier_kind === "email" || r.identifier_kind === "external_id" ? r.identifier_kind : null,
});

/** One page (1-based) of a batch's rows in the file's order, and how many pages there are. */
export async function listDeletionBatchRows(id: string, page: number): Promise<{ rows: BatchRowView[]; page: number; pages: number }> {
  if (!isUuid(id)) return { rows: [], page: 1, pages: 1 };
  const { driver } = await getDatabase();
  const [count] = await driver.query<{ n: string | number }>(`SELECT count(*) AS n FROM deletion_batch_rows WHERE batch_id = $1`, [id]);
  const pages = Math.max(1, Math.ceil(Number(count?.n ?? 0) / BATCH_ROWS_PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pages);
  const rows = await driver.query<StoredRow>(
    `SELECT row_no, outcome, message, request_id, identifier_kind FROM deletion_batch_rows WHERE batch_id = $1 ORDER BY row_no LIMIT $2 OFFSET $3`,
    [id, BATCH_ROWS_PAGE_SIZE, (current - 1) * BATCH_ROWS_PAGE_SIZE],
  );
  return { rows: rows.map(toRow), page: current, pages };
}

const csvCell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/** The batch's result as CSV (row, outcome, request_id, message); null for an unknown batch. A row not yet processed says `pending`, one a rejection left `rejected`. */
export async function deletionBatchResultCsv(id: string): Promise<string | null> {
  const batch = await getDeletionBatch(id);
  if (!batch) return null;
  const { driver } = await getDatabase();
  const rows = await driver.query<StoredRow>(
    `SELECT row_no, outcome, message, request_id, identifier_kind FROM deletion_batch_rows WHERE batch_id = $1 ORDER BY row_no`,
    [id],
  );
  const lines = ["row,outcome,request_id,message"];
  for (const r of rows)
    lines.push([String(r.row_no), rowState(r.outcome, batch.status), r.request_id ?? "", csvCell(r.message ?? "")].join(","));
  return `${lines.join("\r\n")}\r\n`;
}
