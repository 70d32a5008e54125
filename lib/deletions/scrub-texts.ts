import "server-only";
import type { SqlDriver } from "../db/driver.ts";
import { bindNamed, namedSql } from "../db/named.ts";
import { mentionedIdentifiers, scrubFreeText, type HashedSubjects, type TextSubject } from "./free-text.ts";
import { hashedSubjects, identifierHash, tombstoneSecret } from "./tombstone.ts";

// The stored side of lib/deletions/free-text.ts: which free text an erasure
// scrubs again, and the erased people a text written later may name.

type Tx = Pick<SqlDriver, "query">;

/** A customer row's identifiers as free-text.ts takes them. */
export function subjectOf(customer: {
  name: string | null;
  email: string | null;
  phone: string | null;
  external_id: string | null;
  push_token: string | null;
}): TextSubject {
  return {
    name: customer.name,
    email: customer.email,
    phone: customer.phone,
    externalId: customer.external_id,
    pushToken: customer.push_token,
  };
}

/**
 * Every free text about one request: its reason and extension reason, and the
 * reason and file name of each batch that lists it (the one that created it,
 * and any later upload that named the same customer).
 */
export const TEXTS_SQL = namedSql<{ request_id: string }>(`
  SELECT 'request' AS owner, r.id::text AS id, r.reason AS first, r.extension_reason AS second
  FROM deletion_requests r WHERE r.id = :request_id::uuid
  UNION ALL
  SELECT 'batch', b.id::text, b.reason, b.file_name FROM deletion_batches b
  WHERE b.id IN (SELECT batch_id FROM deletion_requests WHERE id = :request_id::uuid
                 UNION SELECT batch_id FROM deletion_batch_rows WHERE request_id = :request_id::uuid)`);

const UPDATE_SQL = namedSql<{ texts: string }>(`
  WITH input AS (
    SELECT * FROM jsonb_to_recordset(:texts::jsonb) AS t(owner text, id uuid, first text, second text)
  ), requests AS (
    UPDATE deletion_requests r SET reason = t.first, extension_reason = t.second
    FROM input t WHERE t.owner = 'request' AND r.id = t.id RETURNING 1
  )
  UPDATE deletion_batches b SET reason = t.first, file_name = t.second FROM input t WHERE t.owner = 'batch' AND b.id = t.id`);

type Texts = { owner: "request" | "batch"; id: string; first: string | null; second: string | null };

/**
 * Scrubs again, at erasure, the free text about request `requestId` of the
 * identifiers of `subjects` (the customer being erased). Writes only what
 * changes; answers how many identifiers it took out.
 */
export async function scrubRequestTexts(tx: Tx, requestId: string, subjects: readonly TextSubject[]): Promise<number> {
  const rows = await tx.query<Texts>(TEXTS_SQL.text, bindNamed(TEXTS_SQL, { request_id: requestId }));
  let removed = 0;
  const changed: Texts[] = [];
  for (const row of rows) {
    const [first, second] = [row.first, row.second].map((text) => {
      if (text === null) return null;
      const scrubbed = scrubFreeText(text, subjects);
      removed += scrubbed.removed;
      return scrubbed.text;
    });
    if (first !== row.first || second !== row.second) changed.push({ ...row, first: first ?? null, second: second ?? null });
  }
  if (changed.length > 0) await tx.query(UPDATE_SQL.text, bindNamed(UPDATE_SQL, { texts: JSON.stringify(changed) }));
  return removed;
}

/** Customers a text names by email or external id, still on file. */
const MENTIONED_SQL = namedSql<{ emails: readonly string[]; tokens: readonly string[] }>(`
  SELECT name, email, phone, external_id, push_token FROM customers
  WHERE (email = ANY(:emails::text[]) OR external_id = ANY(:tokens::text[])) AND erased_at IS NULL`);

/** Erased customers behind some requests, or named by a text (by their email's or external id's hash). */
const TOMBSTONES_SQL = namedSql<{
  request_ids: readonly string[];
  email_hashes: readonly string[];
  external_id_hashes: readonly string[];
}>(`
  SELECT external_id_hash, name_hashes FROM customer_tombstones
  WHERE request_id = ANY(:request_ids::uuid[]) OR email_hash = ANY(:email_hashes::text[]) OR external_id_hash = ANY(:external_id_hashes::text[])`);

export interface WrittenAbout {
  /** The customers the text is about, as stored (or as a bulk file lists them). */
  subjects?: readonly TextSubject[];
  /** Requests whose customers, erased, the text is about: recognised through their tombstones. */
  erasedRequestIds?: readonly string[];
}

/**
 * A free text as it is stored: without any email or phone number, and
 * without the identifiers of the customers it is about or names by email or
 * external id (looked up, also among the erased).
 */
export async function scrubOnWrite(tx: Tx, text: string, about: WrittenAbout = {}): Promise<string> {
  const { emails, tokens } = mentionedIdentifiers(text);
  const secret = tombstoneSecret();
  const mentioned =
    emails.length + tokens.length === 0
      ? []
      : await tx.query<Parameters<typeof subjectOf>[0]>(MENTIONED_SQL.text, bindNamed(MENTIONED_SQL, { emails, tokens }));
  const tombstones = await tx.query<{ external_id_hash: string | null; name_hashes: string[] | null }>(
    TOMBSTONES_SQL.text,
    bindNamed(TOMBSTONES_SQL, {
      request_ids: about.erasedRequestIds ?? [],
      email_hashes: emails.map((e) => identifierHash("email", e, secret)),
      external_id_hashes: tokens.map((t) => identifierHash("external_id", t, secret)),
    }),
  );
  const hashed: HashedSubjects | undefined = tombstones.length === 0 ? undefined : hashedSubjects(tombstones, secret);
  return scrubFreeText(text, [...(about.subjects ?? []), ...mentioned.map(subjectOf)], hashed).text;
}

/** scrubOnWrite for a field that may be empty (a blank one is stored as null). */
export async function scrubOptionalOnWrite(tx: Tx, text: string | null | undefined, about: WrittenAbout = {}): Promise<string | null> {
  const trimmed = text?.trim();
  return trimmed ? scrubOnWrite(tx, trimmed, about) : null;
}
