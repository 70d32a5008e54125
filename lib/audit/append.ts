import "server-only";
import type { Actor } from "../auth/actor.ts";
import { getPrisma, type Db } from "../db/index.ts";
import type { AuditAction } from "./actions.ts";
import { cleanText, redactSummary, type AuditSummary } from "./redact.ts";

export { AUDIT_ACTIONS, type AuditAction } from "./actions.ts";
export type { AuditJson, AuditSummary } from "./redact.ts";

/**
 * Work no signed-in person or API key did: a retry worker, a schedule, or a
 * request not yet tied to anyone (a failed sign-in, whose IP still matters).
 */
export type SystemActor = { kind: "system"; id?: string; label: string; ip?: string | null; userAgent?: string | null };

export interface AuditEntryInput {
  actor: Actor | SystemActor;
  action: AuditAction;
  /** What the action was about; a customer by internal id only. */
  target?: { type: string; id: string };
  /** Before/after and other context. Redacted before it is stored (see redact.ts). */
  summary?: AuditSummary;
}

export interface AppendedAuditEntry {
  id: bigint;
  chain: number;
  chainSeq: bigint;
  hash: string;
  occurredAt: Date;
}

type Row = { id: bigint; chain: number; chain_seq: bigint; hash: string; occurred_at: Date };

/**
 * Appends one entry. Call it INSIDE the transaction that makes the change, as
 * its last statement: the insert trigger takes the entry's chain lock, which
 * is held until commit (so keep the rest short), and a rollback takes the
 * entry and its sequence number with it — no entry, no gap.
 *
 * The transaction must be READ COMMITTED (Prisma's default): the trigger
 * reads the chain's last entry after waiting for its lock, which a
 * REPEATABLE READ snapshot taken earlier would not see (the insert then fails
 * on the (chain, chain_seq) unique key rather than forking the chain).
 */
export async function appendAudit(entry: AuditEntryInput, db?: Db): Promise<AppendedAuditEntry> {
  const [appended] = await appendAuditEntries([entry], db);
  return appended!;
}

/**
 * Appends several entries in one statement. A transaction that needs more
 * than one entry must use this rather than calling appendAudit twice: the
 * rows go in chain order, so two transactions never wait on each other's
 * chain locks in opposite orders (a deadlock PostgreSQL would break by
 * failing one of them).
 */
export async function appendAuditEntries(entries: readonly AuditEntryInput[], db?: Db): Promise<AppendedAuditEntry[]> {
  if (entries.length === 0) return [];
  const { sql, params } = auditInsert(entries);
  return (await (db ?? (await getPrisma())).$queryRawUnsafe<Row[]>(sql, ...params)).map(toAppended);
}

function toAppended(r: Row): AppendedAuditEntry {
  return { id: BigInt(r.id), chain: Number(r.chain), chainSeq: BigInt(r.chain_seq), hash: r.hash, occurredAt: new Date(r.occurred_at) };
}

function auditInsert(entries: readonly AuditEntryInput[]): { sql: string; params: unknown[] } {
  return {
    sql: `${auditInsertSql({ param: 1 })}\n    RETURNING id, chain, chain_seq, hash, occurred_at`,
    params: [auditEntriesParam(entries)],
  };
}

/** The entries as the one parameter the audit insert takes (`auditInsertSql`), redacted. */
export function auditEntriesParam(entries: readonly AuditEntryInput[]): string {
  const text = (value: string | null | undefined, max = 320) => (value == null ? null : cleanText(value, max));
  return JSON.stringify(
    entries.map((entry, ord) => {
      const { actor } = entry;
      return {
        ord,
        actor_type: actor.kind,
        actor_id: text(actor.id),
        actor_label: text(actor.label),
        action: entry.action,
        target_type: text(entry.target?.type, 40),
        target_id: text(entry.target?.id),
        summary: redactSummary(entry.summary, entry.target?.type),
        ip: text(actor.ip, 64),
        user_agent: text(actor.userAgent, 512),
      };
    }),
  );
}

/**
 * The audit insert as SQL text taking `auditEntriesParam(entries)` at
 * `$<param>` or at a named parameter (`:audit`, see lib/db/named.ts), for a hot path that folds its entry into its own write
 * statement as a data-modifying CTE, so the entry costs no round trip of its
 * own. `when`, an SQL condition, can make the insert depend on the rest of the
 * statement (e.g. `EXISTS (SELECT 1 FROM up)`: no entry when nothing was
 * written). appendAuditEntries' rules hold: one such insert per transaction,
 * and the statement holding it is the transaction's last (or the transaction
 * itself), because the chain's lock is held until commit.
 */
export function auditInsertSql(options: { param: number | `:${string}`; when?: string }): string {
  const param = typeof options.param === "number" ? `$${options.param}` : options.param;
  // clock_timestamp(), not now(): the database's one clock for every app
  // instance, read at append time rather than when the transaction began.
  // The ORDER BY repeats the trigger's chain formula (see the migration); if
  // they ever differ only the deadlock-avoidance weakens, never the chain.
  return `
    INSERT INTO audit_entries (actor_type, actor_id, actor_label, action, target_type, target_id, summary, ip, user_agent, occurred_at)
    SELECT e.actor_type, e.actor_id, e.actor_label, e.action, e.target_type, e.target_id, e.summary, e.ip, e.user_agent, clock_timestamp()
    FROM jsonb_to_recordset(${param}::jsonb) AS e(
      ord int, actor_type text, actor_id text, actor_label text, action text,
      target_type text, target_id text, summary jsonb, ip text, user_agent text)${options.when ? `\n    WHERE ${options.when}` : ""}
    ORDER BY abs(hashtext(coalesce(e.target_type, '') || ':' || coalesce(e.target_id, e.actor_id, ''))) % 8, e.ord`;
}
