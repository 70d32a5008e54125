import type { SqlDriver } from "../db/driver.ts";

// Looks for strings in every text, varchar, JSON and text-array column of
// every table: the proof an erasure left nothing identifying behind.

export interface ColumnRef {
  table: string;
  column: string;
  type: string;
}

/** Every column that can hold text: text, varchar, char, json, jsonb, and arrays of them. */
export async function textColumns(db: Pick<SqlDriver, "query">): Promise<ColumnRef[]> {
  const rows = await db.query<{ table_name: string; column_name: string; data_type: string; udt_name: string }>(
    `SELECT c.table_name, c.column_name, c.data_type, c.udt_name
     FROM information_schema.columns c JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
       AND (c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')
            OR (c.data_type = 'ARRAY' AND c.udt_name IN ('_text', '_varchar', '_bpchar', '_json', '_jsonb')))
     ORDER BY c.table_name, c.column_name`,
  );
  return rows.map((r) => ({ table: r.table_name, column: r.column_name, type: r.data_type === "ARRAY" ? r.udt_name : r.data_type }));
}

export interface ScanHit {
  table: string;
  column: string;
  needle: string;
  rows: number;
}

/** Where each needle occurs (case-insensitively, anywhere in the value as text). */
export async function scanFor(db: Pick<SqlDriver, "query">, needles: readonly string[]): Promise<ScanHit[]> {
  const hits: ScanHit[] = [];
  const wanted = needles.filter((n) => n.length > 0);
  for (const { table, column } of await textColumns(db)) {
    for (const needle of wanted) {
      const [row] = await db.query<{ n: string | number }>(
        `SELECT count(*) AS n FROM "${table}" WHERE strpos(lower("${column}"::text), lower($1)) > 0`,
        [needle],
      );
      const n = Number(row!.n);
      if (n > 0) hits.push({ table, column, needle, rows: n });
    }
  }
  return hits;
}
