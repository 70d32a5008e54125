import { readFile } from "node:fs/promises";
import path from "node:path";
import type { SqlDriver } from "./driver.ts";

/**
 * Compares prisma/schema.prisma with a migrated database. The migrations are
 * written by hand and `prisma migrate diff` needs a schema engine this project
 * cannot count on, so this is the check that they still describe the schema:
 * tables, columns (type, nullability), indexes (name, kind, method, columns
 * with order and operator class) and enums, in both directions. Defaults and
 * foreign keys are not compared.
 */
export const SCHEMA_FILE = path.resolve(process.cwd(), "prisma/schema.prisma");

type Datamodel = Awaited<ReturnType<typeof import("@prisma/internals").getDMMF>>["datamodel"];
type Field = Datamodel["models"][number]["fields"][number];

/** Both sides reduced to one plain description per object, keyed by its name. */
interface Shape {
  tables: Set<string>;
  columns: Map<string, string>; // "customers.email" -> "text NULL"
  indexes: Map<string, string>; // "customers_email_idx" -> "INDEX ON customers USING btree (email text_pattern_ops, id)"
  enums: Map<string, string>; // "journey_status" -> "draft, active, paused, archived"
}

const IGNORED_TABLES = new Set(["_prisma_migrations"]);

/**
 * Indexes Prisma's schema language cannot declare (partial ones), as the
 * database describes them: the expected side gets them from here, so a
 * migration that drops or changes one is still reported. The schema names
 * each beside its model.
 */
const MIGRATION_ONLY_INDEXES: ReadonlyMap<string, string> = new Map([
  [
    "integration_signals_due_by_integration_idx",
    "INDEX ON integration_signals USING btree (integration_id, next_attempt_at, id) WHERE status = ANY (ARRAY['pending'::signal_status, 'retrying'::signal_status])",
  ],
  [
    "integration_signals_delivered_consent_idx",
    "INDEX ON integration_signals USING btree (integration_id, delivered_at, created_at (INCLUDE)) WHERE kind = 'consent_change'::signal_kind AND delivered_at IS NOT NULL",
  ],
  ["customers_live_created_at_id_idx", "INDEX ON customers USING btree (created_at DESC, id DESC) WHERE erased_at IS NULL"],
  [
    "delivery_attempts_failures_idx",
    "INDEX ON delivery_attempts USING btree (integration_id, started_at DESC) WHERE outcome <> 'delivered'::text",
  ],
]);

export async function schemaDrift(db: Pick<SqlDriver, "query">, options: { schema?: string } = {}): Promise<string[]> {
  const schema = options.schema ?? (await readFile(SCHEMA_FILE, "utf8"));
  // Loaded here, not at the top: @prisma/internals is a large devDependency
  // that no app bundle importing this folder should pull in. It is CommonJS
  // whose exports Node cannot name statically, hence `.default`.
  const { getDMMF } = (await import("@prisma/internals")).default;
  const { datamodel } = await getDMMF({ datamodel: schema });
  return compare(expectedShape(datamodel), await actualShape(db));
}

// ---- The schema's side, from Prisma's DMMF --------------------------------

const SCALAR_TYPES: Record<string, string> = {
  String: "text",
  Int: "integer",
  BigInt: "bigint",
  Float: "double precision",
  Boolean: "boolean",
  DateTime: "timestamp(3) without time zone",
  Json: "jsonb",
  Decimal: "numeric(65,30)",
  Bytes: "bytea",
};

const NATIVE_TYPES: Record<string, (args: readonly string[]) => string> = {
  Uuid: () => "uuid",
  Text: () => "text",
  Integer: () => "integer",
  SmallInt: () => "smallint",
  BigInt: () => "bigint",
  JsonB: () => "jsonb",
  Json: () => "json",
  Date: () => "date",
  VarChar: ([n]) => (n ? `character varying(${n})` : "character varying"),
  Decimal: (args) => (args.length ? `numeric(${args.join(",")})` : "numeric"),
  Timestamptz: ([p]) => (p ? `timestamp(${p}) with time zone` : "timestamp with time zone"),
  Timestamp: ([p]) => (p ? `timestamp(${p}) without time zone` : "timestamp without time zone"),
};

// format_type() quotes a type name only when it has to.
const sqlName = (name: string) => (/^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`);

function columnType(field: Field, enumNames: Map<string, string>): string {
  let type: string | undefined;
  if (field.kind === "enum") type = sqlName(enumNames.get(field.type) ?? field.type);
  else if (field.nativeType) {
    const [name, args] = field.nativeType;
    const native = NATIVE_TYPES[name];
    if (!native) throw new Error(`schemaDrift: no PostgreSQL type known for @db.${name} (${field.name}); add it to NATIVE_TYPES`);
    type = native(args);
  } else type = SCALAR_TYPES[field.type];
  if (!type) throw new Error(`schemaDrift: no PostgreSQL type known for ${field.type} (${field.name})`);
  return field.isList ? `${type}[]` : type;
}

// Named operator classes (JsonbPathOps) to PostgreSQL's (jsonb_path_ops);
// raw("text_pattern_ops") comes through unchanged. BRIN's are "minmax", one word.
const opclassName = (ops: string) =>
  ops
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace("min_max", "minmax");

const KIND = { id: "PRIMARY KEY", unique: "UNIQUE INDEX", normal: "INDEX", fulltext: "FULLTEXT INDEX" } as const;
const DEFAULT_SUFFIX = { id: "pkey", unique: "key", normal: "idx", fulltext: "idx" } as const;

function expectedShape(datamodel: Datamodel): Shape {
  const shape: Shape = { tables: new Set(), columns: new Map(), indexes: new Map(), enums: new Map() };
  const enumNames = new Map(datamodel.enums.map((e) => [e.name, e.dbName ?? e.name]));
  for (const e of datamodel.enums) {
    shape.enums.set(e.dbName ?? e.name, e.values.map((v) => v.dbName ?? v.name).join(", "));
  }
  const tables = new Map<string, { table: string; columns: Map<string, string> }>();
  for (const model of datamodel.models) {
    const table = model.dbName ?? model.name;
    const columns = new Map<string, string>();
    tables.set(model.name, { table, columns });
    shape.tables.add(table);
    for (const field of model.fields) {
      if (field.kind !== "scalar" && field.kind !== "enum") continue;
      const column = field.dbName ?? field.name;
      columns.set(field.name, column);
      // Prisma never writes NOT NULL for a scalar list on PostgreSQL.
      const nullable = !field.isRequired || field.isList;
      shape.columns.set(`${table}.${column}`, `${columnType(field, enumNames)} ${nullable ? "NULL" : "NOT NULL"}`);
    }
  }
  for (const index of datamodel.indexes) {
    const model = tables.get(index.model);
    if (!model) continue;
    const columns = index.fields.map((f) => model.columns.get(f.name) ?? f.name);
    // Prisma's default names (no `map:`); names over 63 characters are not handled.
    const name = index.dbName ?? [model.table, ...(index.type === "id" ? [] : columns), DEFAULT_SUFFIX[index.type]].join("_");
    const parts = index.fields.map((f, i) => {
      const order = f.sortOrder === "desc" ? " DESC" : "";
      const ops = f.operatorClass ? ` ${opclassName(f.operatorClass)}` : "";
      return `${columns[i]}${ops}${order}`;
    });
    const method = index.algorithm?.toLowerCase() ?? "btree";
    shape.indexes.set(name, `${KIND[index.type]} ON ${model.table} USING ${method} (${parts.join(", ")})`);
  }
  for (const [name, definition] of MIGRATION_ONLY_INDEXES) shape.indexes.set(name, definition);
  return shape;
}

// ---- The database's side, from pg_catalog ---------------------------------

interface ColumnRow {
  table_name: string;
  column_name: string;
  type: string;
  not_null: boolean;
}

interface IndexColumnRow {
  table_name: string;
  index_name: string;
  is_primary: boolean;
  is_unique: boolean;
  method: string;
  predicate: string | null;
  position: number;
  key_columns: number;
  column_text: string;
  opclass: string | null;
  opclass_is_default: boolean | null;
  option: number | null;
}

const TABLES_SQL = `
  SELECT t.relname AS table_name FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace
  WHERE n.nspname = current_schema() AND t.relkind IN ('r', 'p')`;

const COLUMNS_SQL = `
  SELECT t.relname AS table_name, a.attname AS column_name,
         format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null
  FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_attribute a ON a.attrelid = t.oid
  WHERE n.nspname = current_schema() AND t.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped`;

// One row per index column; the multi-argument unnest walks indkey, indclass
// and indoption side by side (indclass/indoption stop at the key columns).
const INDEXES_SQL = `
  SELECT t.relname AS table_name, ic.relname AS index_name, i.indisprimary AS is_primary,
         i.indisunique AS is_unique, am.amname AS method, pg_get_expr(i.indpred, i.indrelid, true) AS predicate,
         k.ord::int AS position, i.indnkeyatts::int AS key_columns,
         pg_get_indexdef(i.indexrelid, k.ord::int, true) AS column_text,
         oc.opcname AS opclass, oc.opcdefault AS opclass_is_default, k.option::int AS option
  FROM pg_index i
  JOIN pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_am am ON am.oid = ic.relam
  JOIN pg_class t ON t.oid = i.indrelid
  JOIN pg_namespace n ON n.oid = t.relnamespace
  CROSS JOIN LATERAL unnest(i.indkey::int2[], i.indclass::oid[], i.indoption::int2[]) WITH ORDINALITY AS k(attnum, opclass, option, ord)
  LEFT JOIN pg_opclass oc ON oc.oid = k.opclass
  WHERE n.nspname = current_schema() AND t.relkind IN ('r', 'p')
  ORDER BY ic.relname, k.ord`;

const ENUMS_SQL = `
  SELECT t.typname AS name, string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder) AS labels
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
  WHERE n.nspname = current_schema()
  GROUP BY t.typname`;

function indexColumn(row: IndexColumnRow): string {
  if (row.position > row.key_columns) return `${row.column_text} (INCLUDE)`;
  // A default operator class is what the schema means by naming none.
  const ops = row.opclass && !row.opclass_is_default ? ` ${row.opclass}` : "";
  const desc = ((row.option ?? 0) & 1) === 1;
  const nullsFirst = ((row.option ?? 0) & 2) === 2;
  const nulls = nullsFirst === desc ? "" : nullsFirst ? " NULLS FIRST" : " NULLS LAST";
  return `${row.column_text}${ops}${desc ? " DESC" : ""}${nulls}`;
}

async function actualShape(db: Pick<SqlDriver, "query">): Promise<Shape> {
  const shape: Shape = { tables: new Set(), columns: new Map(), indexes: new Map(), enums: new Map() };
  for (const { table_name } of await db.query<{ table_name: string }>(TABLES_SQL)) {
    if (!IGNORED_TABLES.has(table_name)) shape.tables.add(table_name);
  }
  for (const c of await db.query<ColumnRow>(COLUMNS_SQL)) {
    if (IGNORED_TABLES.has(c.table_name)) continue;
    shape.columns.set(`${c.table_name}.${c.column_name}`, `${c.type} ${c.not_null ? "NOT NULL" : "NULL"}`);
  }
  const indexes = new Map<string, IndexColumnRow[]>();
  for (const row of await db.query<IndexColumnRow>(INDEXES_SQL)) {
    if (IGNORED_TABLES.has(row.table_name)) continue;
    indexes.set(row.index_name, [...(indexes.get(row.index_name) ?? []), row]);
  }
  for (const [name, rows] of indexes) {
    const [first] = rows as [IndexColumnRow];
    const kind = first.is_primary ? KIND.id : first.is_unique ? KIND.unique : KIND.normal;
    const where = first.predicate ? ` WHERE ${first.predicate}` : "";
    shape.indexes.set(name, `${kind} ON ${first.table_name} USING ${first.method} (${rows.map(indexColumn).join(", ")})${where}`);
  }
  for (const e of await db.query<{ name: string; labels: string }>(ENUMS_SQL)) shape.enums.set(e.name, e.labels);
  return shape;
}

// ---- The comparison -------------------------------------------------------

function compareMaps(what: string, schema: Map<string, string>, database: Map<string, string>): string[] {
  const differences: string[] = [];
  for (const [name, expected] of schema) {
    const actual = database.get(name);
    if (actual === undefined) differences.push(`${what} ${name}: in the schema (${expected}), missing from the database`);
    else if (actual !== expected) differences.push(`${what} ${name}: the schema has ${expected}, the database has ${actual}`);
  }
  for (const [name, actual] of database) {
    if (!schema.has(name)) differences.push(`${what} ${name}: in the database (${actual}), not in the schema`);
  }
  return differences;
}

function compare(schema: Shape, database: Shape): string[] {
  const differences: string[] = [];
  for (const table of schema.tables)
    if (!database.tables.has(table)) differences.push(`table ${table}: in the schema, missing from the database`);
  for (const table of database.tables)
    if (!schema.tables.has(table)) differences.push(`table ${table}: in the database, not in the schema`);
  // A missing or extra table's columns are already said by its own line.
  const shared = (key: string) => {
    const table = key.slice(0, key.indexOf("."));
    return schema.tables.has(table) && database.tables.has(table);
  };
  const columns = (shape: Shape) => new Map([...shape.columns].filter(([key]) => shared(key)));
  return [
    ...differences,
    ...compareMaps("column", columns(schema), columns(database)),
    ...compareMaps("index", schema.indexes, database.indexes),
    ...compareMaps("enum", schema.enums, database.enums),
  ];
}
