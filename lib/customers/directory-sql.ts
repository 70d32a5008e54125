import { detectSearchField, PAGE_SIZE, type Cursor, type DirectoryParams, type Sort } from "../validations/directory.ts";
import { purposeColumnList } from "../consent/model.ts";

/** A parameterised statement: the same text runs through Prisma and raw `pg`. */
export interface Statement {
  text: string;
  values: unknown[];
}

type SortColumn = "created_at" | "name_search" | "email" | "phone" | "external_id";
interface Order {
  column: SortColumn;
  direction: "asc" | "desc";
}

const SORT_ORDER: Record<Sort, Order> = {
  newest: { column: "created_at", direction: "desc" },
  oldest: { column: "created_at", direction: "asc" },
  name: { column: "name_search", direction: "asc" },
  email: { column: "email", direction: "asc" },
};

const SEARCH_COLUMN = { email: "email", name: "name_search", phone: "phone", external_id: "external_id" } as const;

/** The column a search runs on, with the term normalised as that column is stored. */
export function resolveSearch(params: DirectoryParams) {
  if (!params.q) return undefined;
  const field = params.field === "auto" ? detectSearchField(params.q) : params.field;
  const term =
    field === "email" || field === "name" ? params.q.toLowerCase() : field === "phone" ? params.q.replace(/[\s().-]/g, "") : params.q;
  return { field, column: SEARCH_COLUMN[field], term };
}

/**
 * The sort actually used: with a search and no explicit sort, results follow
 * the searched column, which its index returns in order at any size.
 */
export function resolveOrder(params: DirectoryParams): Order {
  if (params.sort) return SORT_ORDER[params.sort];
  const search = resolveSearch(params);
  return search ? { column: search.column, direction: "asc" } : SORT_ORDER.newest;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export const DIRECTORY_COLUMNS = `c.id, c.external_id, c.name, c.name_search, c.email, c.phone, c.created_at,
  cc.customer_id IS NOT NULL AS consent_recorded, cc.version AS consent_version,
  ${purposeColumnList("cc")}, cc.vendors`;

/**
 * One page of the directory, fetching PAGE_SIZE + 1 rows so the caller knows
 * whether another page follows. `before` pages run in reverse order; the
 * caller flips them back.
 */
export function buildDirectoryQuery(params: DirectoryParams, pageSize = PAGE_SIZE): Statement {
  const values: unknown[] = [];
  const bind = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  // An erased customer is an empty shell kept for reporting totals: never a directory row.
  const where: string[] = ["c.erased_at IS NULL"];

  const search = resolveSearch(params);
  if (search) {
    where.push(
      params.match === "exact"
        ? `c.${search.column} = ${bind(search.term)}`
        : `c.${search.column} LIKE ${bind(`${escapeLike(search.term)}%`)}`,
    );
  }
  if (params.consent === "recorded") where.push("cc.customer_id IS NOT NULL");
  if (params.consent === "not_recorded") where.push("cc.customer_id IS NULL");
  if (params.purpose) {
    const col = `cc.${params.purpose.purpose}`; // an enum value checked by zod, never free text
    where.push(
      params.purpose.state === "allowed"
        ? `(cc.customer_id IS NULL OR ${col} IS TRUE)`
        : `(cc.customer_id IS NOT NULL AND ${col} IS NOT TRUE)`,
    );
  }
  if (params.vendor) {
    const granted = bind(JSON.stringify({ [params.vendor.vendor]: true }));
    where.push(
      params.vendor.state === "allowed"
        ? `(cc.customer_id IS NULL OR cc.vendors @> ${granted}::jsonb)`
        : `(cc.customer_id IS NOT NULL AND NOT cc.vendors @> ${granted}::jsonb)`,
    );
  }
  if (params.audience) {
    where.push(
      `EXISTS (SELECT 1 FROM audience_memberships m WHERE m.audience_id = ${bind(params.audience)}::uuid AND m.customer_id = c.id)`,
    );
  }

  const order = resolveOrder(params);
  const backwards = !params.after && Boolean(params.before);
  const direction = backwards ? flip(order.direction) : order.direction;
  const cursor = params.after ?? params.before;
  // Rows without a value in a sorted text column cannot take part in a keyset.
  if (order.column !== "created_at") where.push(`c.${order.column} IS NOT NULL`);
  if (cursor) where.push(keyset(order.column, direction, cursor, bind));

  const dir = direction.toUpperCase();
  const text = `SELECT ${DIRECTORY_COLUMNS}
FROM customers c LEFT JOIN customer_consents cc ON cc.customer_id = c.id
WHERE ${where.join("\n  AND ")}
ORDER BY c.${order.column} ${dir}, c.id ${dir}
LIMIT ${bind(pageSize + 1)}`;
  return { text, values };
}

function flip(direction: "asc" | "desc") {
  return direction === "asc" ? "desc" : "asc";
}

function keyset(column: SortColumn, direction: "asc" | "desc", cursor: Cursor, bind: (v: unknown) => string) {
  const op = direction === "asc" ? ">" : "<";
  const value = column === "created_at" ? `${bind(cursor.v)}::timestamptz` : bind(cursor.v);
  return `(c.${column}, c.id) ${op} (${value}, ${bind(cursor.id)}::uuid)`;
}

/** The cursor value a row contributes for the given sort column. */
export function cursorValue(row: Record<SortColumn, unknown>, column: SortColumn): string | null {
  const v = row[column];
  if (v instanceof Date) return v.toISOString();
  return v == null ? null : String(v);
}
