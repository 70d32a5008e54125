import { describe, expect, it } from "vitest";
import { CSV_MESSAGES, MAX_CSV_BYTES, MAX_CSV_ROWS, parseDeletionCsv, type CsvRow } from "../csv.ts";

const rowsOf = (input: string | Uint8Array): CsvRow[] => {
  const parsed = parseDeletionCsv(input);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.rows;
};

describe("parseDeletionCsv: one value a line", () => {
  it.each<[string, string, CsvRow[]]>([
    [
      "external ids, no header",
      "ext-1\next-2\n",
      [
        { row: 1, kind: "external_id", value: "ext-1" },
        { row: 2, kind: "external_id", value: "ext-2" },
      ],
    ],
    ["emails, no header: told by the @, lower-cased", "Zoe@Example.COM\n", [{ row: 1, kind: "email", value: "zoe@example.com" }]],
    [
      "a mix without a header",
      "ext-1\nana@example.com",
      [
        { row: 1, kind: "external_id", value: "ext-1" },
        { row: 2, kind: "email", value: "ana@example.com" },
      ],
    ],
    ["an email header: rows numbered as in the file", "email\nana@example.com\n", [{ row: 2, kind: "email", value: "ana@example.com" }]],
    ["a header in any case, quoted", '"External_ID"\nana@example.com\n', [{ row: 2, kind: "external_id", value: "ana@example.com" }]],
    ["an email header judges every row as an email", "email\nnot-an-email\n", [{ row: 2, kind: "email", invalid: CSV_MESSAGES.email }]],
    [
      "CRLF and a lone CR",
      "ext-1\r\next-2\rext-3\r\n",
      [
        { row: 1, kind: "external_id", value: "ext-1" },
        { row: 2, kind: "external_id", value: "ext-2" },
        { row: 3, kind: "external_id", value: "ext-3" },
      ],
    ],
    ["a BOM before the header", "\uFEFFexternal_id\r\next-1\r\n", [{ row: 2, kind: "external_id", value: "ext-1" }]],
    [
      "blank lines and empty cells are skipped, numbering kept",
      "\n\next-1\n   \n,,\next-2",
      [
        { row: 3, kind: "external_id", value: "ext-1" },
        { row: 6, kind: "external_id", value: "ext-2" },
      ],
    ],
    ["quoted values, with doubled quotes and commas inside", '"ext, ""one"""\n', [{ row: 1, kind: "external_id", value: 'ext, "one"' }]],
    ["a trailing empty column (spreadsheet export)", "ext-1,\n", [{ row: 1, kind: "external_id", value: "ext-1" }]],
    ["spaces around an unquoted value are trimmed", "  ext-1  \n", [{ row: 1, kind: "external_id", value: "ext-1" }]],
    ["two values on a line", "ext-1,ext-2\n", [{ row: 1, kind: null, invalid: CSV_MESSAGES.manyValues }]],
    ["an unclosed quote", '"ext-1\n', [{ row: 1, kind: null, invalid: CSV_MESSAGES.unclosedQuote }]],
    ["a quote inside an unquoted value", 'ex"t\n', [{ row: 1, kind: null, invalid: CSV_MESSAGES.strayQuote }]],
    ["text after a closing quote", '"ext"x\n', [{ row: 1, kind: null, invalid: CSV_MESSAGES.afterQuote }]],
    ["an invalid email without a header", "ana@@example\n", [{ row: 1, kind: "email", invalid: CSV_MESSAGES.email }]],
    ["an external id over 200 characters", `${"x".repeat(201)}\n`, [{ row: 1, kind: "external_id", invalid: CSV_MESSAGES.externalId }]],
    [
      "a header only counts on the first line",
      "ext-1\nemail\n",
      [
        { row: 1, kind: "external_id", value: "ext-1" },
        { row: 2, kind: "external_id", value: "email" },
      ],
    ],
  ])("%s", (_name, input, expected) => {
    expect(rowsOf(input)).toEqual(expected);
  });

  it("never repeats a value in a message", () => {
    const secret = "ana.secret@@example";
    const rows = rowsOf(`${secret}\n"${secret}\n${secret},x\n`);
    for (const row of rows) expect(JSON.stringify("invalid" in row ? row.invalid : "")).not.toContain("secret");
    expect(rows.every((r) => "invalid" in r)).toBe(true);
  });

  it("reads bytes as UTF-8, with a BOM", () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from("external_id\nzoë-1\n")]);
    expect(rowsOf(bytes)).toEqual([{ row: 2, kind: "external_id", value: "zoë-1" }]);
  });

  it.each<[string, string | Uint8Array, number, RegExp]>([
    ["bytes that are not UTF-8", new Uint8Array([0x65, 0xff, 0xfe, 0x0a]), 422, /not UTF-8/],
    ["a NUL", "ext-1\n\u0000\n", 422, /NUL/],
    ["a lone surrogate", "ext-\uD800\n", 422, /NUL/],
    ["nothing but a header", "email\r\n\r\n", 422, /no external ids or emails/],
    ["an empty file", "", 422, /no external ids or emails/],
    ["more rows than the limit", "x\n".repeat(MAX_CSV_ROWS + 1), 422, /more than 100,000 rows/],
    ["more bytes than the limit", "x".repeat(MAX_CSV_BYTES + 1), 413, /larger than 5,242,880 bytes/],
  ])("refuses %s as a whole", (_name, input, status, message) => {
    const parsed = parseDeletionCsv(input);
    expect(parsed).toMatchObject({ ok: false, status });
    expect(!parsed.ok && parsed.message).toMatch(message);
  });

  it("takes exactly the row limit", () => {
    expect(rowsOf("x\n".repeat(MAX_CSV_ROWS))).toHaveLength(MAX_CSV_ROWS);
  });
});
