import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { textColumns, type ColumnRef } from "../../testing/pii-scan.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { RETENTION } from "../retention.ts";

// The retention policy (lib/deletions/retention.ts) against the schema the
// migrations really build, on either database: every column that can hold
// text has a rule, every rule names a column that exists, and what the
// erasure sets a column to is a value that column can take. A migration that
// adds a text or JSON column without a rule fails here, naming it.

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.dispose());

/** `table.column` for each text, JSON or text-array column no rule covers. */
function uncovered(columns: readonly ColumnRef[]): string[] {
  return columns.filter((c) => !RETENTION.find((t) => t.table === c.table)?.fields[c.column]).map((c) => `${c.table}.${c.column}`);
}

type ColumnInfo = { table_name: string; column_name: string; data_type: string; is_nullable: "YES" | "NO" };

async function allColumns(): Promise<Map<string, ColumnInfo>> {
  const rows = await db.driver.query<ColumnInfo>(
    `SELECT c.table_name, c.column_name, c.data_type, c.is_nullable FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'`,
  );
  return new Map(rows.map((r) => [`${r.table_name}.${r.column_name}`, r]));
}

describe("the retention policy", () => {
  it("has a rule for every text, varchar, char, JSON and text-array column of every table", async () => {
    const columns = await textColumns(db.driver);
    // The scan sees the tables that hold customer data (a sanity check on textColumns itself).
    expect(columns).toEqual(
      expect.arrayContaining([
        { table: "customers", column: "email", type: "text" },
        { table: "customers", column: "attributes", type: "jsonb" },
        { table: "consent_changes", column: "changed", type: "_text" },
        { table: "integration_signals", column: "payload", type: "jsonb" },
      ]),
    );
    expect(uncovered(columns), "columns without a rule in lib/deletions/retention.ts").toEqual([]);
  });

  it("names only tables and columns that exist", async () => {
    const existing = await allColumns();
    const tables = new Set([...existing.values()].map((c) => c.table_name));
    expect(
      RETENTION.map((t) => t.table).filter((t) => !tables.has(t)),
      "retention policies for tables that do not exist",
    ).toEqual([]);
    const named = RETENTION.flatMap((t) => Object.keys(t.fields).map((column) => `${t.table}.${column}`));
    expect(
      named.filter((c) => !existing.has(c)),
      "retention rules for columns that do not exist",
    ).toEqual([]);
    expect(new Set(RETENTION.map((t) => t.table)).size, "one policy per table").toBe(RETENTION.length);
  });

  it("erases a column only to a value it can hold: NULL where it is nullable, {} where it is JSON", async () => {
    const existing = await allColumns();
    const wrong = RETENTION.flatMap((t) =>
      Object.entries(t.fields).flatMap(([column, rule]) => {
        if (rule.action !== "erase") return [];
        const info = existing.get(`${t.table}.${column}`);
        const fits = rule.to === "null" ? info?.is_nullable === "YES" : info?.data_type === "jsonb" || info?.data_type === "json";
        return fits ? [] : [`${t.table}.${column} (to ${rule.to})`];
      }),
    );
    expect(wrong).toEqual([]);
  });

  it("fails on a new column without a rule, naming table.column", async () => {
    // A scratch table and a new column on a customer table, as a careless migration would add them.
    await db.driver.exec(`ALTER TABLE customers ADD COLUMN nickname TEXT; CREATE TABLE loyalty_notes (id INT, body JSONB, tags TEXT[])`);
    try {
      expect(uncovered(await textColumns(db.driver)).sort()).toEqual(["customers.nickname", "loyalty_notes.body", "loyalty_notes.tags"]);
    } finally {
      await db.driver.exec(`ALTER TABLE customers DROP COLUMN nickname; DROP TABLE loyalty_notes`);
    }
    expect(uncovered(await textColumns(db.driver))).toEqual([]);
  });
});
