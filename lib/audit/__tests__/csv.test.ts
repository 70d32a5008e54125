import { describe, expect, it } from "vitest";
import { AUDIT_CSV_COLUMNS, auditCsvHeader, auditCsvRow, csvCell, csvRow } from "../csv.ts";
import type { AuditRow } from "../sql.ts";
import { parseCsv } from "./fixtures.ts";

describe("csvCell", () => {
  it.each<[string, string | number | bigint | boolean | null | undefined, string]>([
    ["plain text as is", "consent.change", "consent.change"],
    ["empty for null", null, ""],
    ["empty for undefined", undefined, ""],
    ["numbers and bigints as digits", 12n, "12"],
    ["a comma quoted", "a,b", '"a,b"'],
    ["a quote doubled and quoted", 'say "hi"', '"say ""hi"""'],
    ["a newline quoted", "line 1\nline 2", '"line 1\nline 2"'],
    ["a CRLF quoted", "line 1\r\nline 2", '"line 1\r\nline 2"'],
    ["JSON quoted", '{"a": 1, "b": "x"}', '"{""a"": 1, ""b"": ""x""}"'],
    ["= neutralised", "=1+2", "'=1+2"],
    ["+ neutralised", "+44 20 7946 0000", "'+44 20 7946 0000"],
    ["- neutralised", "-2+3", "'-2+3"],
    ["@ neutralised", "@SUM(A1)", "'@SUM(A1)"],
    ["a leading tab neutralised", "\t=1", "'\t=1"],
    ["a leading CR neutralised and quoted", "\r=1", '"\'\r=1"'],
    ["a formula with a comma neutralised, then quoted", '=HYPERLINK("http://x","y")', '"\'=HYPERLINK(""http://x"",""y"")"'],
    ["= later in the text left alone", "a=b", "a=b"],
  ])("%s", (_, value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });
});

describe("csvRow", () => {
  it("joins with commas, ends with CRLF, and reads back cell for cell", () => {
    const cells = ["1", 'He said "no", twice', "multi\nline", "=cmd|' /C calc'!A0", "", "plain"];
    const line = csvRow(cells);
    expect(line.endsWith("\r\n")).toBe(true);
    expect(parseCsv(line)).toEqual([["1", 'He said "no", twice', "multi\nline", "'=cmd|' /C calc'!A0", "", "plain"]]);
  });
});

describe("audit rows", () => {
  const row: AuditRow = {
    id: "42",
    occurred_at: new Date("2026-11-30T12:34:56.789Z"),
    actor_type: "api_key",
    actor_id: "k-1",
    actor_label: "-import key",
    action: "consent.change",
    target_type: "customer",
    target_id: "c-1",
    summary: '{"after": {"email_marketing": false}, "before": {"email_marketing": true}}',
    ip: "::1",
    user_agent: "=evil()",
    chain: 3,
    chain_seq: "7",
    prev_hash: "a".repeat(64),
    hash: "b".repeat(64),
  };

  it("has one header cell per column and one value per column", () => {
    const [header, values] = parseCsv(auditCsvHeader() + auditCsvRow(row));
    expect(header).toEqual([...AUDIT_CSV_COLUMNS]);
    expect(Object.fromEntries(header!.map((h, i) => [h, values![i]]))).toEqual({
      id: "42",
      occurred_at: "2026-11-30T12:34:56.789Z",
      actor_type: "api_key",
      actor_id: "k-1",
      actor_label: "'-import key",
      action: "consent.change",
      target_type: "customer",
      target_id: "c-1",
      summary: row.summary,
      ip: "::1",
      user_agent: "'=evil()",
      chain: "3",
      chain_seq: "7",
      prev_hash: row.prev_hash,
      hash: row.hash,
    });
  });
});
