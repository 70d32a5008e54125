import { z } from "zod";
import { encodeKeysetCursor, keysetCursorParam, parseSearchParams, searchParam, type SearchParamsInput } from "./search-params.ts";
import { PURPOSES, VENDOR_SLUG } from "../consent/purposes.ts";
import { text } from "./text.ts";
import { inTimeRange } from "./time.ts";

export const SEARCH_FIELDS = ["auto", "email", "name", "phone", "external_id"] as const;
export const SORTS = ["newest", "oldest", "name", "email"] as const;
export const PAGE_SIZE = 50;

export type SearchField = (typeof SEARCH_FIELDS)[number];
export type Sort = (typeof SORTS)[number];

/** A keyset cursor: the last row's sort value and id. */
export const CursorSchema = z.object({ v: text().max(320).nullable(), id: z.guid() });
export type Cursor = z.infer<typeof CursorSchema>;

export const encodeCursor: (cursor: Cursor) => string = encodeKeysetCursor;

const CURSOR_MESSAGE = "is not a page cursor this directory produced; start again from the first page";
const cursorParam = keysetCursorParam(CursorSchema, 600, CURSOR_MESSAGE);

/**
 * Whether the page is ordered by creation time, whose cursor value the query
 * casts to timestamptz: resolveOrder in lib/customers/directory-sql.ts (an
 * explicit sort, else a search's own column, else newest first).
 */
const sortedByTime = (p: { sort?: unknown; q?: unknown }) => (p.sort ? p.sort === "newest" || p.sort === "oldest" : !p.q);

export const DirectoryParamsSchema = z
  .object({
    q: searchParam(text().trim().max(200, "must be at most 200 characters")),
    // The page shows these messages beside the filter's label, so they speak
    // of what the form offers rather than listing the URL's values.
    field: searchParam(z.enum(SEARCH_FIELDS, "must be one of the fields the form offers")),
    match: searchParam(z.enum(["prefix", "exact"], "must be “starts with” or “exactly”")),
    consent: searchParam(z.enum(["recorded", "not_recorded"], "must be recorded or not recorded")),
    purpose: searchParam(z.enum(PURPOSES, "must be one of the purposes the form offers")),
    purposeState: searchParam(z.enum(["allowed", "blocked"], "must be allowed or blocked")),
    vendor: searchParam(z.string().regex(VENDOR_SLUG, "must be one of the vendors the form offers")),
    vendorState: searchParam(z.enum(["allowed", "blocked"], "must be allowed or blocked")),
    audience: searchParam(z.guid("must be one of the audiences the form offers")),
    sort: searchParam(z.enum(SORTS, "must be one of the orders the form offers")),
    after: searchParam(cursorParam),
    before: searchParam(cursorParam),
  })
  .superRefine((p, ctx) => {
    if (!sortedByTime(p)) return;
    for (const key of ["after", "before"] as const) {
      const v = (p[key] as Cursor | undefined)?.v;
      if (v !== undefined && !(v !== null && z.iso.datetime().safeParse(v).success && inTimeRange(new Date(v))))
        ctx.addIssue({ code: "custom", path: [key], message: CURSOR_MESSAGE });
    }
  })
  .transform((p) => ({
    q: (p.q as string | undefined) || undefined,
    field: (p.field as SearchField | undefined) ?? "auto",
    match: (p.match as "prefix" | "exact" | undefined) ?? "prefix",
    consent: p.consent as "recorded" | "not_recorded" | undefined,
    purpose: p.purpose
      ? { purpose: p.purpose as (typeof PURPOSES)[number], state: (p.purposeState as "allowed" | "blocked") ?? "blocked" }
      : undefined,
    vendor: p.vendor ? { vendor: p.vendor as string, state: (p.vendorState as "allowed" | "blocked") ?? "blocked" } : undefined,
    audience: p.audience as string | undefined,
    sort: p.sort as Sort | undefined,
    after: p.after as Cursor | undefined,
    before: p.before as Cursor | undefined,
  }));

export type DirectoryParams = z.output<typeof DirectoryParamsSchema>;

export type DirectoryParamsResult =
  { ok: true; params: DirectoryParams } | { ok: false; params: DirectoryParams; errors: Array<{ field: string; message: string }> };

/**
 * Parses the directory's URL state. Bad parameters never fail the page: each
 * is reported by name and dropped, and the rest still applies.
 */
export function parseDirectoryParams(raw: SearchParamsInput): DirectoryParamsResult {
  const { data, errors } = parseSearchParams(DirectoryParamsSchema, raw);
  return errors.length === 0 ? { ok: true, params: data } : { ok: false, params: data, errors };
}

/** Which column a search term targets when the field is "auto". */
export function detectSearchField(q: string): Exclude<SearchField, "auto"> {
  if (q.includes("@")) return "email";
  if (/^\+?[\d\s().-]{3,}$/.test(q)) return "phone";
  if (/^[a-z0-9]+[._-]/i.test(q) && !/\s/.test(q) && /[\d_]/.test(q)) return "external_id";
  if (/^[^\s]+\.[^\s]*$/.test(q)) return "email";
  return "name";
}
