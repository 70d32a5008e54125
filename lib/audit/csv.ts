import type { AuditRow } from "./sql.ts";

// A cell a spreadsheet would run as a formula (=, +, -, @, and tab or CR,
// which some spreadsheets skip before one of those) gets a leading quote.
// Actor labels, API key names and user agents are typed by outsiders.
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field: formula-neutralised, then quoted when RFC 4180 requires it. */
export function csvCell(value: string | number | bigint | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, CRLF-terminated as RFC 4180 has it. */
export function csvRow(cells: ReadonlyArray<string | number | bigint | boolean | null | undefined>): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

/**
 * The export's columns. chain, chain_seq, prev_hash and hash let a reader
 * re-check the chain outside the database; summary is jsonb's own text.
 * (A neutralised cell starts with an added quote: strip it before re-hashing.)
 */
export const AUDIT_CSV_COLUMNS = [
  "id",
  "occurred_at",
  "actor_type",
  "actor_id",
  "actor_label",
  "action",
  "target_type",
  "target_id",
  "summary",
  "ip",
  "user_agent",
  "chain",
  "chain_seq",
  "prev_hash",
  "hash",
] as const;

export function auditCsvHeader(): string {
  return csvRow(AUDIT_CSV_COLUMNS);
}

export function auditCsvRow(row: AuditRow): string {
  return csvRow([
    row.id,
    row.occurred_at.toISOString(),
    row.actor_type,
    row.actor_id,
    row.actor_label,
    row.action,
    row.target_type,
    row.target_id,
    row.summary,
    row.ip,
    row.user_agent,
    row.chain,
    row.chain_seq,
    row.prev_hash,
    row.hash,
  ]);
}
