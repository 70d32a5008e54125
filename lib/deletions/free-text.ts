// Free text typed around a deletion (a request's reason, a bulk upload's
// reason and file name, an extension's reason) keeps no identifier: it is
// scrubbed when written and again at erasure. One rule for every field and
// every path (dashboard, REST, bulk). Pure: the callers bring the people the
// text concerns.
//
// What goes, case- and accent-insensitively, each replaced by ERASED:
// - any email address, and any phone number however it is typed (seven or
//   more digits with spaces, dots, dashes, slashes or brackets between them,
//   international or national form), whoever's they are;
// - of each person the text concerns: their external id, push token, email
//   and its local part, and every part of their name (a first name alone too);
// - of each erased person it concerns, known only by the tombstone's keyed
//   hashes: a word or token whose hash is their external id's or a name part's.
// Dates (2026-12-07, 07/12/2026) and references after "#" stay.

export const ERASED = "[erased]";

/** What a form says under a free-text field about a deletion. */
export const FREE_TEXT_HINT = "Emails, phone numbers and the customer's names or ids are replaced by [erased].";

/** A person the text concerns, as stored on their profile (or as listed in a bulk file). */
export interface TextSubject {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  externalId?: string | null;
  pushToken?: string | null;
}

/** Erased people the text concerns, by their tombstones' keyed hashes (lib/deletions/tombstone.ts). */
export interface HashedSubjects {
  externalIdHash: (value: string) => string;
  namePartHash: (foldedPart: string) => string;
  externalIds: ReadonlySet<string>;
  nameParts: ReadonlySet<string>;
}

export interface ScrubResult {
  text: string;
  /** How many identifiers were taken out. */
  removed: number;
}

/** Lower case without accents: how names and words are compared. */
export const fold = (value: string) => value.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();

/** The parts of a name worth recognising alone (two letters or more), folded. */
export function nameParts(name: string | null | undefined): string[] {
  if (!name) return [];
  return fold(name)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((part) => part.length >= 2);
}

const EMAIL = /[\p{L}\p{N}._%+'’-]*[\p{L}\p{N}]@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
// A run of digits with at most two separators between any two, optionally after + or (.
const PHONE = /(?<![\p{L}\p{N}#+])(?:\+\s?)?\(?\d(?:[\s().\/-]{0,2}\d)+\)?(?![\p{L}\p{N}])/gu;
const DATE = /^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})$/;
const MIN_PHONE_DIGITS = 7;
// What an identifier typed in a sentence may be made of: anything up to a space or a bracket.
const TOKEN = /[^\s,;!?()[\]{}<>"“”«»]+/gu;
const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const EDGE_PUNCTUATION = /^[.:'’`-]+|[.:'’`-]+$/g;
// "[erased] [erased]" for a full name reads as one: runs joined by spaces, dots, dashes or underscores.
const RUNS_OF_ERASED = /\[erased\](?:[\s._-]*\[erased\])+/g;

const escape = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

interface Terms {
  /** Matched as written anywhere, between non-alphanumerics: external ids and push tokens. */
  literals: string[];
  /** A whole token or word, folded: email local parts and name parts. */
  words: Set<string>;
}

function termsOf(subjects: readonly TextSubject[]): Terms {
  const literals = new Set<string>();
  const words = new Set<string>();
  for (const s of subjects) {
    for (const id of [s.externalId, s.pushToken]) if (id && id.trim().length >= 3) literals.add(id.trim().toLowerCase());
    const local = s.email?.split("@")[0];
    if (local && local.length >= 3) words.add(fold(local));
    for (const part of nameParts(s.name)) words.add(part);
  }
  return { literals: [...literals].sort((a, b) => b.length - a.length), words };
}

/** Takes out of `text` every identifier the rule above names. */
export function scrubFreeText(text: string, subjects: readonly TextSubject[] = [], hashed?: HashedSubjects): ScrubResult {
  let removed = 0;
  const erase = () => {
    removed++;
    return ERASED;
  };
  const terms = termsOf(subjects);
  let out = text.replace(EMAIL, erase);

  const lower = out.toLowerCase();
  for (const literal of terms.literals) {
    if (!lower.includes(literal)) continue;
    out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escape(literal)}(?![\\p{L}\\p{N}])`, "giu"), erase);
  }

  out = out.replace(PHONE, (match) => {
    const digits = match.replace(/\D/g, "").length;
    if (digits < MIN_PHONE_DIGITS || DATE.test(match.trim())) return match;
    // Brackets around the whole number, or one left unmatched, belong to the sentence: "(020 7946 0958)" keeps them.
    const [open, close] = [match.split("(").length - 1, match.split(")").length - 1];
    const wrapped = open === 1 && close === 1 && match.startsWith("(") && match.endsWith(")") && !/^\(\d{1,5}\)/.test(match);
    const before = wrapped || (open > close && match.startsWith("(")) ? "(" : "";
    const after = wrapped || (close > open && match.endsWith(")")) ? ")" : "";
    return `${before}${erase()}${after}`;
  });

  out = out.replace(TOKEN, (token) => {
    const core = token.replace(EDGE_PUNCTUATION, "");
    if (core.length < 3 || core === ERASED) return token;
    const known = terms.words.has(fold(core)) || (hashed?.externalIds.has(hashed.externalIdHash(core)) ?? false);
    return known ? token.replace(core, erase()) : token;
  });

  out = out.replace(WORD, (word) => {
    if (word === "erased" || word.length < 2) return word;
    const folded = fold(word);
    const known = terms.words.has(folded) || (hashed?.nameParts.has(hashed.namePartHash(folded)) ?? false);
    return known ? erase() : word;
  });

  return { text: removed === 0 ? text : out.replace(RUNS_OF_ERASED, ERASED), removed };
}

/**
 * What a text names that could be looked up: its email addresses (lower-cased)
 * and its tokens (anything that might be an external id). The caller finds
 * the customers they belong to, whom the text then concerns too.
 */
export function mentionedIdentifiers(text: string): { emails: string[]; tokens: string[] } {
  const emails = new Set([...text.matchAll(EMAIL)].map((m) => m[0].toLowerCase()));
  const tokens = new Set(
    [...text.replace(EMAIL, " ").matchAll(TOKEN)].map((m) => m[0].replace(EDGE_PUNCTUATION, "")).filter((t) => t.length >= 3),
  );
  return { emails: [...emails], tokens: [...tokens] };
}

/** scrubFreeText for a field that may be empty. */
export function scrubOptional(text: string | null | undefined, subjects: readonly TextSubject[] = [], hashed?: HashedSubjects) {
  if (text === null || text === undefined) return null;
  return scrubFreeText(text, subjects, hashed).text;
}
