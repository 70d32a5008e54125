import "server-only";
import { getDatabase, getPrisma } from "../db/index.ts";
import type { AuditActorType } from "./actions.ts";
import { encodeAuditCursor, PAGE_SIZE, type AuditParams } from "./params.ts";
import type { AuditJson } from "./redact.ts";
import { buildAuditListQuery, type AuditRow } from "./sql.ts";
import { verifyAuditChain, type ChainVerification } from "./verify.ts";

export interface AuditEntryView {
  id: string;
  occurredAt: Date;
  actor: { type: AuditActorType; id: string | null; label: string | null };
  action: string;
  target: { type: string; id: string } | null;
  summary: { [key: string]: AuditJson };
  ip: string | null;
  userAgent: string | null;
  chain: number;
  chainSeq: string;
}

export interface AuditPage {
  entries: AuditEntryView[];
  next?: string;
  previous?: string;
}

/** One page of the audit log: filters and keyset paging, newest first. */
export async function listAuditEntries(params: AuditParams, pageSize = PAGE_SIZE): Promise<AuditPage> {
  const { driver } = await getDatabase();
  const { text, values } = buildAuditListQuery(params, { after: params.after, before: params.before }, pageSize + 1);
  const rows = await driver.query<AuditRow>(text, values);

  const backwards = !params.after && Boolean(params.before);
  const more = rows.length > pageSize;
  const page = rows.slice(0, pageSize);
  if (backwards) page.reverse();

  const cursorOf = (row: AuditRow | undefined) => row && encodeAuditCursor({ t: row.occurred_at.toISOString(), id: row.id });
  return {
    entries: page.map(toView),
    next: (backwards ? true : more) ? cursorOf(page.at(-1)) : undefined,
    previous: (backwards ? more : Boolean(params.after)) ? cursorOf(page[0]) : undefined,
  };
}

export type ChainStatus = { checkedAt: Date; result: ChainVerification };

// A full check reads every entry: about 11 s for 500,000 entries on the
// 2-core dev machine (most of it in audit_entry_hash), so the page shows a
// result at most this old, and concurrent viewers share one check in flight.
const CHAIN_STATUS_MAX_AGE_MS = 60_000;
const chainStatus = new WeakMap<object, { value?: ChainStatus; pending?: Promise<ChainStatus> }>();

/** The whole log's chain check for the page's status line, with when it ran. */
export async function auditChainStatus(): Promise<ChainStatus> {
  const prisma = await getPrisma();
  let state = chainStatus.get(prisma);
  if (!state) chainStatus.set(prisma, (state = {}));
  const { value } = state;
  if (value && Date.now() - value.checkedAt.getTime() < CHAIN_STATUS_MAX_AGE_MS) return value;
  const current = state;
  current.pending ??= verifyAuditChain(prisma)
    .then((result) => (current.value = { checkedAt: new Date(), result }))
    .finally(() => (current.pending = undefined));
  return current.pending;
}

export function toView(row: AuditRow): AuditEntryView {
  return {
    id: row.id,
    occurredAt: row.occurred_at,
    actor: { type: asActorType(row.actor_type), id: row.actor_id, label: row.actor_label },
    action: row.action,
    target: row.target_type && row.target_id ? { type: row.target_type, id: row.target_id } : null,
    summary: parseSummary(row.summary),
    ip: row.ip,
    userAgent: row.user_agent,
    chain: row.chain,
    chainSeq: row.chain_seq,
  };
}

function asActorType(value: string): AuditActorType {
  return value === "user" || value === "api_key" ? value : "system";
}

function parseSummary(text: string): { [key: string]: AuditJson } {
  const parsed: unknown = JSON.parse(text);
  return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as { [key: string]: AuditJson }) : {};
}
