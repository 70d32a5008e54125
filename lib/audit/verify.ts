import "server-only";
import { getPrisma, type Db } from "../db/index.ts";

export type ChainBreakReason = "hash_mismatch" | "prev_hash_mismatch" | "sequence_gap";

export type ChainVerification =
  | { ok: true; entries: number; chains: number; lastId: string | null }
  | {
      ok: false;
      brokenAt: { id: string; chain: number; chainSeq: string; reason: ChainBreakReason };
      /** Entries before the broken one (by id) that checked out. */
      verifiedEntries: number;
    };

type Broken = { id: bigint; chain: number; chain_seq: bigint; reason: ChainBreakReason; verified: bigint };
type Totals = { entries: bigint; chains: bigint; last_id: bigint | null };

/**
 * Re-checks every chain in one pass inside the database: each entry's hash
 * recomputed with the same `audit_entry_hash` the insert trigger used, its
 * prev_hash against its predecessor's hash (lag over the chain), and its
 * sequence number against its predecessor's plus one. Nothing but the answer
 * leaves the database, so the cost is one ordered scan of the table.
 *
 * What this can and cannot see:
 * - an edited entry fails its own hash (hash_mismatch at that entry);
 * - an edited entry whose hash was recomputed breaks the next entry's link
 *   (prev_hash_mismatch at the next entry);
 * - a deleted entry leaves a hole in the numbering (sequence_gap at the next).
 * - Deleting the NEWEST entries of a chain, or rewriting a chain from some
 *   entry to its end with every hash recomputed, leaves a consistent chain:
 *   only a comparison with an external anchor (the chain heads from
 *   auditChainHeads(), copied somewhere the database's superuser cannot
 *   write) shows it. So does replacing `audit_entry_hash` itself.
 */
export async function verifyAuditChain(db?: Db): Promise<ChainVerification> {
  const prisma = db ?? (await getPrisma());
  const broken = await prisma.$queryRaw<Broken[]>`
    WITH checked AS (
      SELECT e.id, e.chain, e.chain_seq,
        CASE
          WHEN e.chain_seq <> coalesce(lag(e.chain_seq) OVER w, 0) + 1 THEN 'sequence_gap'
          WHEN e.prev_hash <> coalesce(lag(e.hash) OVER w, repeat('0', 64)) THEN 'prev_hash_mismatch'
          WHEN e.hash <> audit_entry_hash(e) THEN 'hash_mismatch'
        END AS reason
      FROM audit_entries e
      WINDOW w AS (PARTITION BY e.chain ORDER BY e.chain_seq)
    ), first_broken AS (
      SELECT id, chain, chain_seq, reason FROM checked WHERE reason IS NOT NULL ORDER BY id LIMIT 1
    )
    SELECT b.id, b.chain, b.chain_seq, b.reason,
      (SELECT count(*) FROM audit_entries WHERE id < b.id) AS verified
    FROM first_broken b`;
  const first = broken[0];
  if (first) {
    return {
      ok: false,
      brokenAt: { id: String(first.id), chain: Number(first.chain), chainSeq: String(first.chain_seq), reason: first.reason },
      verifiedEntries: Number(first.verified),
    };
  }
  const [totals] = await prisma.$queryRaw<Totals[]>`
    SELECT count(*) AS entries, count(DISTINCT chain) AS chains, max(id) AS last_id FROM audit_entries`;
  return {
    ok: true,
    entries: Number(totals?.entries ?? 0),
    chains: Number(totals?.chains ?? 0),
    lastId: totals?.last_id == null ? null : String(totals.last_id),
  };
}

export type ChainHead = { chain: number; chainSeq: string; hash: string };

/**
 * The last entry of each chain: the values to copy out (to object storage
 * with retention, a ticket, a signed email) so that a later truncation or
 * rewrite of a chain's tail can be proven against them.
 */
export async function auditChainHeads(db?: Db): Promise<ChainHead[]> {
  const rows = await (db ?? (await getPrisma())).$queryRaw<Array<{ chain: number; chain_seq: bigint; hash: string }>>`
    SELECT DISTINCT ON (chain) chain, chain_seq, hash FROM audit_entries ORDER BY chain, chain_seq DESC`;
  return rows.map((r) => ({ chain: Number(r.chain), chainSeq: String(r.chain_seq), hash: r.hash }));
}
