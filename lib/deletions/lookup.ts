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
