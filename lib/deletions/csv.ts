import { z } from "zod";
import { ExternalIdSchema } from "../validations/consent.ts";
import { isStorableText } from "../validations/text.ts";

// A bulk deletion's CSV (issue 11, item 5), read in one place. Pure. One
// value a line: an external id or an email, with an optional header line
// (`external_id` or `email`) that says which; without one, a value with an
// "@" is an email and anything else an external id. Values may be quoted
// ("a""b" is a"b); CRLF, CR and LF all end a line; a UTF-8 BOM and blank
// lines are skipped. A line is numbered as in the file (the header is line 1),
// so a row's number is the one a spreadsheet shows. A line that is not one
// value gets the outcome `invalid` with a message that never repeats the
// value (the file may hold personal data; the batch keeps none of it).

/** The largest file taken (5 MB), counted as it arrives; a larger one is refused with 413 before it is read whole. */
export const MAX_CSV_BYTES = 5 * 1024 * 1024;
/** The most rows (values) one file may hold. */
export const MAX_CSV_ROWS = 100_000;

export type CsvIdentifierKind = "external_id" | "email";

export type CsvRow =
  { row: number; kind: CsvIdentifierKind; value: string } | { row: number; kind: CsvIdentifierKind | null; invalid: string };

/** The file as a whole cannot be read: nothing in it is used. */
export type CsvRefusal = { ok: false; status: 413 | 422; message: string };

export type CsvParse = { ok: true; header: CsvIdentifierKind | null; rows: CsvRow[] } | CsvRefusal;

export const CSV_MESSAGES = {
  email: "Not a valid email address.",
  externalId: "Not a valid external id (1–200 characters).",
  manyValues: "More than one value on this line: put one external id or email per line.",
  unclosedQuote: "A quoted value is not closed on its line.",
  strayQuote: "A quote appears inside an unquoted value.",
  afterQuote: "Text follows a closing quote.",
} as const;

const EmailSchema = z.email();

/** The cells of one line, or the reason it cannot be split. */
function cells(line: string): { ok: true; cells: string[] } | { ok: false; message: string } {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === " " || line[i] === "\t") i++;
    if (line[i] === '"') {
      let value = "";
      i++;
      for (;;) {
        if (i >= line.length) return { ok: false, message: CSV_MESSAGES.unclosedQuote };
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += line[i++];
      }
      while (line[i] === " " || line[i] === "\t") i++;
      if (i < line.length && line[i] !== ",") return { ok: false, message: CSV_MESSAGES.afterQuote };
      out.push(value);
    } else {
      const end = line.indexOf(",", i);
      const raw = line.slice(i, end === -1 ? undefined : end);
      if (raw.includes('"')) return { ok: false, message: CSV_MESSAGES.strayQuote };
      out.push(raw.trim());
      i = end === -1 ? line.length : end;
    }
    if (i >= line.length) return { ok: true, cells: out };
    i++; // the comma
  }
}

/** Decides what one value is: `kind` from the header, or by its "@" when there is none. */
export function classify(
  value: string,
  header: CsvIdentifierKind | null,
): { kind: CsvIdentifierKind; value: string } | { kind: CsvIdentifierKind; invalid: string } {
  const kind: CsvIdentifierKind = header ?? (value.includes("@") ? "email" : "external_id");
  if (kind === "email") {
    const email = value.trim().toLowerCase();
    return EmailSchema.safeParse(email).success ? { kind, value: email } : { kind, invalid: CSV_MESSAGES.email };
  }
  return ExternalIdSchema.safeParse(value).success ? { kind, value } : { kind, invalid: CSV_MESSAGES.externalId };
}

const HEADERS: Record<string, CsvIdentifierKind> = { external_id: "external_id", email: "email" };

/**
 * Reads a deletion CSV from its bytes (or text). Refused as a whole (nothing
 * used): more than MAX_CSV_BYTES (413), not UTF-8, a NUL or lone surrogate,
 * no values at all, or more than MAX_CSV_ROWS values (422). Otherwise each
 * line with something on it is a row, valid or `invalid` with its reason.
 */
export function parseDeletionCsv(input: Uint8Array | string): CsvParse {
  const size = typeof input === "string" ? Buffer.byteLength(input, "utf8") : input.byteLength;
  if (size > MAX_CSV_BYTES) {
    return { ok: false, status: 413, message: `The file is larger than ${MAX_CSV_BYTES.toLocaleString("en")} bytes.` };
  }
  let text: string;
  if (typeof input === "string") text = input;
  else {
    try {
      text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(input);
    } catch {
      return { ok: false, status: 422, message: "The file is not UTF-8 text: save it as CSV (UTF-8)." };
    }
  }
  if (text.startsWith("\uFEFF")) text = text.slice(1);
  if (!isStorableText(text)) return { ok: false, status: 422, message: "The file holds NUL characters or broken UTF-16: it is not a CSV." };

  const lines = text.split(/\r\n|\r|\n/);
  let header: CsvIdentifierKind | null = null;
  let seenContent = false;
  const rows: CsvRow[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim() === "") continue;
    const row = index + 1;
    const split = cells(line);
    if (!seenContent) {
      seenContent = true;
      const first = split.ok ? split.cells.filter((c) => c !== "") : [];
      const named = first.length === 1 ? HEADERS[first[0]!.trim().toLowerCase()] : undefined;
      if (named) {
        header = named;
        continue;
      }
    }
    if (!split.ok) {
      rows.push({ row, kind: header, invalid: split.message });
    } else {
      const values = split.cells.filter((c) => c !== "");
      // A line of empty cells (",,") is as blank as an empty one.
      if (values.length === 0) continue;
      if (values.length > 1) rows.push({ row, kind: header, invalid: CSV_MESSAGES.manyValues });
      else rows.push({ row, ...classify(values[0]!, header) });
    }
    if (rows.length > MAX_CSV_ROWS) {
      return {
        ok: false,
        status: 422,
        message: `The file has more than ${MAX_CSV_ROWS.toLocaleString("en")} rows: split it into several uploads.`,
      };
    }
  }
  if (rows.length === 0) return { ok: false, status: 422, message: "The file has no external ids or emails in it." };
  return { ok: true, header, rows };
}
