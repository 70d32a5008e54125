// Free text typed around a deletion (a request's reason, a bulk upload's
// reason and file name, an extension's reason) keeps no identifier: it is
// scrubbed when written and again at erasure. One rule for every field and
// every path (dashboard, REST, bulk). Pure: the callers bring the people the
// text concerns.
//
// What goes, case- and accent-insensitively, each replaced by ERASED:
// - any email address, and any phone number however it is typed
//   (free-text-numbers.ts: international or national form), whoever's;
// - of each person the text concerns: their external id, push token, email
//   and its local part, and every part of their name in the forms people type
//   it (free-text-names.ts), a first name alone too;
// - of each erased person it concerns, known only by the tombstone's keyed
//   hashes: a token whose hash is their external id's, a word whose hash is a
//   name part's.
// Dates, legal references, file stamps and ticket numbers stay.

import { fold, isEverydayWord, localPartForms, nameForms } from "./free-text-names.ts";
import { PHONE_CANDIDATE, replacePhone } from "./free-text-numbers.ts";

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
  /** One per erased person. */
  people: ReadonlyArray<{ externalIdHash: string | null; nameHashes: readonly string[] }>;
}

export interface ScrubResult {
  text: string;
  /** How many identifiers were taken out. */
  removed: number;
}

export { fold, nameParts, nameForms } from "./free-text-names.ts";

// Emails with any of the characters a local part may hold.
const EMAIL = /[\p{L}\p{N}._%+'’~!#$&*=?^`{|}-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
// What an identifier typed in a sentence may be made of: anything up to a space or a bracket.
const TOKEN = /[^\s,;!?()[\]{}<>"“”«»]+/gu;
const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const EDGE_PUNCTUATION = /^[.:'’`-]+|[.:'’`-]+$/g;
// Between two parts of one name: spaces, a hyphen, an apostrophe, a dot (an initial).
const NAME_GAP = /^[\s'’.\p{Pd}]{1,3}$/u;
// "[erased] [erased]" for a full name reads as one: runs joined by spaces, dots, dashes or underscores.
const RUNS_OF_ERASED = /\[erased\](?:[\s._-]*\[erased\])+/g;

const escape = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The pieces of a token that could be an external id: "id=cus_1", "cus_1's", "cus_1/cus_2" give cus_1 and cus_2. */
function tokenPieces(token: string): string[] {
  const core = token.replace(EDGE_PUNCTUATION, "");
  const pieces = new Set([core, core.replace(/['’]s$/i, "")]);
  for (const piece of core.split(/[=:/+]/)) pieces.add(piece.replace(EDGE_PUNCTUATION, "").replace(/['’]s$/i, ""));
  return [...pieces].filter((p) => p.length >= 3);
}

interface Terms {
  /** Matched as written anywhere, between non-alphanumerics: external ids and push tokens. */
  literals: string[];
  /** A whole token, folded: email local parts. */
  tokens: Set<string>;
  /** A word, folded, and the people whose name or email it is part of. */
  words: Map<string, Set<number>>;
}

function termsOf(subjects: readonly TextSubject[]): Terms {
  const literals = new Set<string>();
  const tokens = new Set<string>();
  const words = new Map<string, Set<number>>();
  const addWord = (word: string, person: number) => {
    if (!words.has(word)) words.set(word, new Set());
    words.get(word)!.add(person);
  };
  subjects.forEach((s, person) => {
    for (const id of [s.externalId, s.pushToken]) {
      const literal = id?.trim().toLowerCase();
      // A short number would take out years and amounts: only an id that cannot be mistaken for one.
      if (literal && literal.length >= 3 && !(/^\d+$/.test(literal) && literal.length < 6)) literals.add(literal);
    }
    const local = localPartForms(s.email);
    if (local.whole) tokens.add(local.whole);
    for (const piece of local.pieces) addWord(piece, person);
    for (const form of nameForms(s.name)) addWord(form, person);
  });
  return { literals: [...literals].sort((a, b) => b.length - a.length), tokens, words };
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

  out = out.replace(PHONE_CANDIDATE, (match: string, offset: number, whole: string) => replacePhone(match, whole.slice(0, offset), erase));

  const hashedIds = new Set(hashed?.people.flatMap((p) => (p.externalIdHash ? [p.externalIdHash] : [])));
  out = out.replace(TOKEN, (token) => {
    const core = token.replace(EDGE_PUNCTUATION, "");
    if (core.length < 3) return token;
    if (terms.tokens.has(fold(core))) return token.replace(core, erase());
    const erasedId = hashed && tokenPieces(token).find((piece) => hashedIds.has(hashed.externalIdHash(piece)));
    return erasedId ? token.replace(erasedId, erase()) : token;
  });

  out = scrubNameWords(out, terms.words, subjects.length + (hashed?.people.length ?? 0) > 1, hashed, erase);
  return { text: removed === 0 ? text : out.replace(RUNS_OF_ERASED, ERASED), removed };
}

/**
 * Takes out the words that are part of a person's name or email: each alone,
 * except a two-letter part, or (when the text concerns several people) an
 * everyday word, which goes only beside another part of the same person's
 * name ("Will May" goes; "in May" stays).
 */
function scrubNameWords(
  text: string,
  words: ReadonlyMap<string, ReadonlySet<number>>,
  several: boolean,
  hashed: HashedSubjects | undefined,
  erase: () => string,
): string {
  const hashedPeople = new Map<string, Set<number>>();
  hashed?.people.forEach((p, i) => {
    for (const h of p.nameHashes) {
      if (!hashedPeople.has(h)) hashedPeople.set(h, new Set());
      hashedPeople.get(h)!.add(-1 - i);
    }
  });
  const found = [...text.matchAll(WORD)].map((m) => {
    const folded = fold(m[0]);
    const people = new Set([...(words.get(folded) ?? []), ...(hashed ? (hashedPeople.get(hashed.namePartHash(folded)) ?? []) : [])]);
    return { word: m[0], start: m.index, end: m.index + m[0].length, folded, people };
  });
  const sharesPerson = (a: (typeof found)[number] | undefined, b: (typeof found)[number], gap: string) =>
    a !== undefined && NAME_GAP.test(gap) && [...a.people].some((p) => b.people.has(p));
  let out = "";
  let at = 0;
  found.forEach((w, i) => {
    if (w.people.size === 0 || w.word === "erased") return;
    const weak = w.folded.length <= 2 || (several && isEverydayWord(w.folded));
    const prev = found[i - 1];
    const next = found[i + 1];
    const beside =
      (prev !== undefined && sharesPerson(prev, w, text.slice(prev.end, w.start))) ||
      (next !== undefined && sharesPerson(next, w, text.slice(w.end, next.start)));
    if (weak && !beside) return;
    out += text.slice(at, w.start) + erase();
    at = w.end;
  });
  return out + text.slice(at);
}

/**
 * What a text names that could be looked up: its email addresses (lower-cased)
 * and the pieces of its tokens that could be external ids. The caller finds
 * the customers they belong to, whom the text then concerns too.
 */
export function mentionedIdentifiers(text: string): { emails: string[]; tokens: string[] } {
  const emails = new Set([...text.matchAll(EMAIL)].map((m) => m[0].toLowerCase()));
  const tokens = new Set([...text.replace(EMAIL, " ").matchAll(TOKEN)].flatMap((m) => tokenPieces(m[0])));
  return { emails: [...emails], tokens: [...tokens] };
}
