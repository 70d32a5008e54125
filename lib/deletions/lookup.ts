import "server-only";
import type { SqlDriver } from "../db/driver.ts";
import { identifierHash, tombstoneSecret } from "./tombstone.ts";

type Tx = Pick<SqlDriver, "query">;

/**
 * The external ids among `externalIds` that belong to an erased customer,
 * recognised through the tombstone's hashes (an erased row holds no external id).
 */
export async function erasedExternalIds(db: Tx, externalIds: readonly string[]): Promise<Set<string>> {
  if (externalIds.length === 0) return new Set();
  const secret = tombstoneSecret();
  const byHash = new Map(externalIds.map((id) => [identifierHash("external_id", id, secret), id]));
  const rows = await db.query<{ external_id_hash: string }>(
    `SELECT external_id_hash FROM customer_tombstones WHERE external_id_hash = ANY($1::text[])`,
    [[...byHash.keys()]],
  );
  return new Set(rows.map((r) => byHash.get(r.external_id_hash)!));
}

/**
 * The emails among `emails` (lower-cased, as stored) that belong to an
 * erased customer, recognised through the tombstone's hashes.
 */
export async function erasedEmails(db: Tx, emails: readonly string[]): Promise<Set<string>> {
  const found = await tombstoneRequests(db, "email", emails);
  return new Set(found.keys());
}

/**
 * For each value of `kind` an erasure's tombstone knows, the request that
 * erased it: value → request id. One query, by the keyed hashes.
 */
export async function tombstoneRequests(db: Tx, kind: "external_id" | "email", values: readonly string[]): Promise<Map<string, string>> {
  if (values.length === 0) return new Map();
  const secret = tombstoneSecret();
  const byHash = new Map(values.map((value) => [identifierHash(kind, value, secret), value]));
  const column = kind === "email" ? "email_hash" : "external_id_hash";
  const rows = await db.query<{ hash: string; request_id: string }>(
    `SELECT DISTINCT ON (${column}) ${column} AS hash, request_id FROM customer_tombstones
     WHERE ${column} = ANY($1::text[]) ORDER BY ${column}, erased_at DESC`,
    [[...byHash.keys()]],
  );
  return new Map(rows.map((r) => [byHash.get(r.hash)!, r.request_id]));
}
