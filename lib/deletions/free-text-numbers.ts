// Which numbers in free text are phone numbers (free-text.ts takes them out)
// and which are dates, legal references, file stamps or ticket numbers (kept).
// A phone is seven or more digits with at most three separators (spaces,
// dots, dashes of any kind, slashes, brackets) between any two, international
// (+, 00) or national.

/** A candidate: a run of digits and separators, not glued to a word ("ZD-1234567" is a reference, not a phone). */
export const PHONE_CANDIDATE = /(?<![\p{L}\p{N}+]|\p{L}[_\p{Pd}])#?(?:\+\s?)?\(?\d(?:[\s().\/\p{Pd}]{0,3}\d)+\)?(?![\p{L}\p{N}])/gu;

const MIN_PHONE_DIGITS = 7;
const DATE = String.raw`(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})`;
const LEADING_DATE = new RegExp(`^${DATE}`);
const ONLY_DATES = new RegExp(`^${DATE}(?:\\s*/\\s*${DATE})*$`);
// 20261207: a date stamp, as in export_20261207.csv.
const COMPACT_DATE = /^(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$/;
// Regulation (EU) 2016/679, Directive 95/46: a year, a slash, a number.
const LEGAL_REFERENCE = /^(?:(?:19|20)\d{2}|\d{2})\s?\/\s?\d{1,5}$/;
// What a ticket, case or order number follows.
const REFERENCE_WORD = /\b(?:ticket|case|order|invoice|ref|reference|request|claim)\s*(?:no\.?|number|#|:)?\s*$/i;

const digitsIn = (text: string) => text.replace(/\D/g, "").length;

/**
 * What to put in place of a candidate: itself when it is no phone number, or
 * `erased` with the brackets and `#` that belong to the sentence around it.
 * `before` is the text before the candidate.
 */
export function replacePhone(match: string, before: string, erased: () => string): string {
  const hash = match.startsWith("#") ? "#" : "";
  const number = match.slice(hash.length);
  if (digitsIn(number) < MIN_PHONE_DIGITS) return match;
  // #48123456: a reference. #555-123-4567: a phone after a #.
  if (hash && /^\d+$/.test(number)) return match;
  const trimmed = number.trim();
  if (ONLY_DATES.test(trimmed) || COMPACT_DATE.test(trimmed) || LEGAL_REFERENCE.test(trimmed)) return match;
  // 2026-12-07 10:30 is a date and a time.
  if (digitsIn(trimmed.replace(LEADING_DATE, "")) < MIN_PHONE_DIGITS && LEADING_DATE.test(trimmed)) return match;
  if (REFERENCE_WORD.test(before)) return match;
  // Brackets around the whole number, or one left unmatched, belong to the sentence: "(020 7946 0958)" keeps them.
  const [open, close] = [number.split("(").length - 1, number.split(")").length - 1];
  const wrapped = open === 1 && close === 1 && number.startsWith("(") && number.endsWith(")") && !/^\(\d{1,5}\)/.test(number);
  const left = wrapped || (open > close && number.startsWith("(")) ? "(" : "";
  const right = wrapped || (close > open && number.endsWith(")")) ? ")" : "";
  return `${hash}${left}${erased()}${right}`;
}
