import "server-only";
import type { SqlDriver } from "../db/driver.ts";
import { bindNamed, namedSql, type NamedStatement } from "../db/named.ts";
import { mentionedIdentifiers, scrubFreeText, type HashedSubjects, type TextSubject } from "./free-text.ts";
import { hashedSubjects, identifierHash, tombstoneSecret } from "./tombstone.ts";

// The stored side of lib/deletions/free-text.ts: which free text an erasure
// scrubs again, and the erased people a text written later may name.

type Tx = Pick<SqlDriver, "query">;

/** A customer row's identifying columns: what free text about them must not keep. */
export type IdentifierColumns = {
  external_id: string | null;
  email: string | null;
  phone: string | null;
  name: string | null;
  push_token: string | null;
};
export const IDENTIFIER_COLUMNS = "external_id, email, phone, name, push_token";
/** IDENTIFIER_COLUMNS of a table named `alias` in a join. */
export const identifierColumnsOf = (alias: string) =>
  IDENTIFIER_COLUMNS.split(", ")
    .map((column) => `${alias}.${column}`)
    .join(", ");

/** A customer row's identifiers as free-text.ts takes them. */
export function subjectOf(customer: IdentifierColumns): TextSubject {
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

// Compare-and-set: each text is written only if no one changed it since it was read (another erasure of the same
// batch in another lane, an extension), so a scrub never writes back an identifier someone else took out. Batches
// first, then the request: the order a rejection takes its locks in.
type SetTexts = { id: string; first: string | null; second: string | null; was_first: string | null; was_second: string | null };
const SET_BATCH_SQL = namedSql<SetTexts>(`
  UPDATE deletion_batches SET reason = :first, file_name = :second
  WHERE id = :id::uuid AND reason IS NOT DISTINCT FROM :was_first AND file_name IS NOT DISTINCT FROM :was_second RETURNING 1`);
const SET_REQUEST_SQL = namedSql<SetTexts>(`
  UPDATE deletion_requests SET reason = :first, extension_reason = :second
  WHERE id = :id::uuid AND reason IS NOT DISTINCT FROM :was_first AND extension_reason IS NOT DISTINCT FROM :was_second RETURNING 1`);

type Texts = { owner: "request" | "batch"; id: string; first: string | null; second: string | null };

/** Writes a row's two texts compare-and-set: null when nothing changed, else whether the write held (false: someone changed them first). */
async function setTexts(tx: Tx, row: Texts, first: string | null, second: string | null): Promise<boolean | null> {
  if (first === row.first && second === row.second) return null;
  const statement = row.owner === "batch" ? SET_BATCH_SQL : SET_REQUEST_SQL;
  const params = { id: row.id, first, second, was_first: row.first, was_second: row.second };
  return (await tx.query(statement.text, bindNamed(statement, params))).length > 0;
}

/** A text changed under us this many times in a row is a fault, not a race. */
const MAX_TRIES = 5;

/**
 * Scrubs again, at erasure, the free text about request `requestId` of the
 * identifiers of `subjects` (the customer being erased). Writes only what
 * changes, each text only if it is still what was read (read again and
 * scrubbed again otherwise); answers how many identifiers it took out.
 */
export async function scrubRequestTexts(tx: Tx, requestId: string, subjects: readonly TextSubject[]): Promise<number> {
  let removed = 0;
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    const rows = await tx.query<Texts>(TEXTS_SQL.text, bindNamed(TEXTS_SQL, { request_id: requestId }));
    let lost = false;
    rows.sort((a, b) => (a.owner === b.owner ? a.id.localeCompare(b.id) : a.owner === "batch" ? -1 : 1));
    for (const row of rows) {
      const scrub = (text: string | null) => {
        if (text === null) return null;
        const scrubbed = scrubFreeText(text, subjects);
        removed += scrubbed.removed;
        return scrubbed.text;
      };
      if ((await setTexts(tx, row, scrub(row.first), scrub(row.second))) === false) lost = true;
    }
    if (!lost) return removed;
  }
  throw new Error(`the free text of deletion request ${requestId} kept changing while it was scrubbed`);
}

/** Customers a text names by email or external id, still on file. */
const MENTIONED_SQL = namedSql<{ emails: readonly string[]; tokens: readonly string[] }>(`
  SELECT ${IDENTIFIER_COLUMNS} FROM customers
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
      : await tx.query<IdentifierColumns>(MENTIONED_SQL.text, bindNamed(MENTIONED_SQL, { emails, tokens }));
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

/** One page of requests, with their customer when still on file. */
const REQUESTS_PAGE_SQL = namedSql<{ after: string; limit: number }>(`
  SELECT 'request' AS owner, r.id::text AS id, r.reason AS first, r.extension_reason AS second,
         ${identifierColumnsOf("c")}
  FROM deletion_requests r LEFT JOIN customers c ON c.id = r.customer_id AND c.erased_at IS NULL
  WHERE r.id > :after::uuid ORDER BY r.id LIMIT :limit`);

/** One page of batches. */
const BATCHES_PAGE_SQL = namedSql<{ after: string; limit: number }>(`
  SELECT 'batch' AS owner, id::text AS id, reason AS first, file_name AS second
  FROM deletion_batches WHERE id > :after::uuid ORDER BY id LIMIT :limit`);

/** The customers a batch lists: those still on file, and the requests of those erased (their tombstones). */
const BATCH_PEOPLE_SQL = namedSql<{ id: string }>(`
  SELECT DISTINCT r.id::text AS request_id, ${identifierColumnsOf("c")}
  FROM deletion_batch_rows b JOIN deletion_requests r ON r.id = b.request_id
  LEFT JOIN customers c ON c.id = r.customer_id AND c.erased_at IS NULL
  WHERE b.batch_id = :id::uuid`);

/** Runs `each` on every row `page` reads, a page per short transaction, in id order. */
async function eachPage<R extends { id: string }>(
  driver: Pick<SqlDriver, "transaction">,
  page: NamedStatement<{ after: string; limit: number }>,
  limit: number,
  each: (tx: Tx, row: R) => Promise<void>,
): Promise<void> {
  for (let after = "00000000-0000-0000-0000-000000000000"; ;) {
    const rows = await driver.transaction(async (tx) => {
      const found = await tx.query<R>(page.text, bindNamed(page, { after, limit }));
      for (const row of found) await each(tx, row);
      return found;
    });
    if (rows.length < limit) return;
    after = rows.at(-1)!.id;
  }
}

/**
 * Scrubs every stored free text about deletions as it would be scrubbed when
 * written today: for data written before the rule, or before a profile
 * changed. Idempotent; one short transaction per page. Answers how many texts
 * it changed. `npm run deletions:scrub-texts`.
 */
export async function rescrubDeletionTexts(driver: Pick<SqlDriver, "transaction">, pageSize = 200): Promise<number> {
  let changed = 0;
  const rescrub = async (tx: Tx, row: Texts, about: WrittenAbout) => {
    const scrub = (text: string | null) => (text === null ? Promise.resolve(null) : scrubOnWrite(tx, text, about));
    if (await setTexts(tx, row, await scrub(row.first), await scrub(row.second))) changed++;
  };
  await eachPage<Texts & IdentifierColumns>(driver, REQUESTS_PAGE_SQL, pageSize, (tx, row) =>
    rescrub(tx, row, { subjects: [subjectOf(row)], erasedRequestIds: [row.id] }),
  );
  await eachPage<Texts>(driver, BATCHES_PAGE_SQL, pageSize, async (tx, row) => {
    const people = await tx.query<IdentifierColumns & { request_id: string }>(
      BATCH_PEOPLE_SQL.text,
      bindNamed(BATCH_PEOPLE_SQL, { id: row.id }),
    );
    await rescrub(tx, row, { subjects: people.map(subjectOf), erasedRequestIds: people.map((p) => p.request_id) });
  });
  return changed;
}
