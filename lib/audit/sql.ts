import { PAGE_SIZE, type AuditCursor, type AuditParams } from "./params.ts";

/** A parameterised statement for the raw driver. */
export interface Statement {
  text: string;
  values: unknown[];
}

/** One row as the list and the export read it; summary stays jsonb's own text. */
export type AuditRow = {
  id: string;
  occurred_at: Date;
  actor_type: string;
  actor_id: string | null;
  actor_label: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  summary: string;
  ip: string | null;
  user_agent: string | null;
  chain: number;
  chain_seq: string;
  prev_hash: string;
  hash: string;
};

// summary::text is jsonb's canonical text, the very form the hash covers, so
// an exported row can be re-hashed outside the database.
const COLUMNS = `id::text AS id, occurred_at, actor_type, actor_id, actor_label, action, target_type, target_id,
  summary::text AS summary, ip, user_agent, chain::int AS chain, chain_seq::text AS chain_seq, prev_hash, hash`;

/** The WHERE clause of a filtered view, without the cursor. */
export function auditFilterSql(params: AuditParams, values: unknown[]): string[] {
  const where: string[] = [];
  const param = (v: unknown) => `$${values.push(v)}`;
  if (params.actor) {
    // An exact id (users and keys are uuids) or the start of the label (an
    // email or key name). Labels have no index: the scan walks the newest
    // entries until a page fills, as the directory's rare filters do.
    const p = param(params.actor);
    where.push(`(actor_id = ${p} OR starts_with(lower(actor_label), lower(${p})))`);
  }
  if (params.action) where.push(`action = ${param(params.action)}`);
  if (params.targetType) where.push(`target_type = ${param(params.targetType)}`);
  if (params.targetId) where.push(`target_id = ${param(params.targetId)}`);
  if (params.from) where.push(`occurred_at >= ${param(params.from.toISOString())}::timestamptz`);
  if (params.toExclusive) where.push(`occurred_at < ${param(params.toExclusive.toISOString())}::timestamptz`);
  return where;
}

/**
 * One page (or export batch) of entries, newest first, keyset-paged on
 * (occurred_at, id) — which the (occurred_at DESC, id DESC) index returns in
 * order. Fetches `limit` rows; `before` runs in reverse and the caller flips it.
 */
export function buildAuditListQuery(
  params: AuditParams,
  cursor: { after?: AuditCursor; before?: AuditCursor },
  limit = PAGE_SIZE + 1,
): Statement {
  const values: unknown[] = [];
  const where = auditFilterSql(params, values);
  const param = (v: unknown) => `$${values.push(v)}`;
  const backwards = !cursor.after && Boolean(cursor.before);
  const at = cursor.after ?? cursor.before;
  if (at) {
    // A row comparison, so the index bounds the scan instead of filtering it.
    where.push(`(occurred_at, id) ${backwards ? ">" : "<"} (${param(at.t)}::timestamptz, ${param(at.id)}::bigint)`);
  }
  const direction = backwards ? "ASC" : "DESC";
  // Qualified: a bare `id` in ORDER BY would sort the id::text output column.
  const text = `SELECT ${COLUMNS} FROM audit_entries${where.length ? ` WHERE ${where.join(" AND ")}` : ""}
    ORDER BY audit_entries.occurred_at ${direction}, audit_entries.id ${direction} LIMIT ${param(limit)}`;
  return { text, values };
}

/** Whether the filtered view holds more than `limit` entries (the export's cap). */
export function buildAuditBeyondQuery(params: AuditParams, limit: number): Statement {
  const values: unknown[] = [];
  const where = auditFilterSql(params, values);
  const text = `SELECT EXISTS (SELECT 1 FROM audit_entries${where.length ? ` WHERE ${where.join(" AND ")}` : ""}
    ORDER BY occurred_at DESC, id DESC OFFSET $${values.push(limit)}) AS beyond`;
  return { text, values };
}
