import { z } from "zod";
import {
  encodeKeysetCursor,
  keysetCursorParam,
  parseSearchParams,
  searchParam,
  type SearchParamsInput,
} from "../validations/search-params.ts";
import { text } from "../validations/text.ts";
import { inTimeRange, isoDay } from "../validations/time.ts";
import { AUDIT_ACTIONS, type AuditAction } from "./actions.ts";

export const PAGE_SIZE = 50;

/** A keyset cursor: the last row's time (ISO, milliseconds) and id. */
const MAX_BIGINT = 9_223_372_036_854_775_807n;
export const AuditCursorSchema = z.object({
  t: z.iso.datetime().refine((t) => inTimeRange(new Date(t))),
  // audit_entries.id is a bigint: 19 digits can still overflow it.
  id: z
    .string()
    .regex(/^\d{1,19}$/)
    .refine((id) => BigInt(id) <= MAX_BIGINT),
});
export type AuditCursor = z.infer<typeof AuditCursorSchema>;

export const encodeAuditCursor: (cursor: AuditCursor) => string = encodeKeysetCursor;

const cursorParam = keysetCursorParam(AuditCursorSchema, 200, "is not a page cursor this log produced; start again from the first page");

const day = isoDay();

export const AuditParamsSchema = z
  .object({
    actor: searchParam(text().trim().min(1).max(320, "must be at most 320 characters")),
    action: searchParam(z.enum(AUDIT_ACTIONS, "must be one of the audit log's actions")),
    targetType: searchParam(z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, "must be a target type such as customer or user")),
    targetId: searchParam(text().trim().min(1).max(200, "must be at most 200 characters")),
    from: searchParam(day),
    to: searchParam(day),
    after: searchParam(cursorParam),
    before: searchParam(cursorParam),
  })
  .superRefine((p, ctx) => {
    if (p.from && p.to && p.from > p.to) ctx.addIssue({ code: "custom", path: ["to"], message: "must be on or after the from date" });
  })
  .transform((p) => ({
    actor: p.actor as string | undefined,
    action: p.action as AuditAction | undefined,
    targetType: p.targetType as string | undefined,
    targetId: p.targetId as string | undefined,
    // Whole UTC days, `to` included: the form's date inputs and the table both speak UTC.
    from: p.from ? new Date(`${p.from}T00:00:00.000Z`) : undefined,
    toExclusive: p.to ? new Date(Date.parse(`${p.to}T00:00:00.000Z`) + 86_400_000) : undefined,
    after: p.after as AuditCursor | undefined,
    before: p.before as AuditCursor | undefined,
  }));

export type AuditParams = z.output<typeof AuditParamsSchema>;
export type AuditFilterField = "actor" | "action" | "targetType" | "targetId" | "from" | "to";
export const AUDIT_FILTER_FIELDS: readonly AuditFilterField[] = ["actor", "action", "targetType", "targetId", "from", "to"];

export type AuditParamsResult =
  { ok: true; params: AuditParams } | { ok: false; params: AuditParams; errors: Array<{ field: string; message: string }> };

/**
 * Parses the audit log's URL state. Bad parameters never fail the page: each
 * is reported by name and dropped, and the rest still applies. The export
 * route answers 400 with the same errors instead.
 */
export function parseAuditParams(raw: SearchParamsInput): AuditParamsResult {
  const { data, errors } = parseSearchParams(AuditParamsSchema, raw);
  return errors.length === 0 ? { ok: true, params: data } : { ok: false, params: data, errors };
}

/** The filters of a parsed view as URL parameters (no cursors), for links and the export. */
export function auditFilterQuery(raw: Record<string, string | string[] | undefined>, errors: ReadonlyArray<{ field: string }> = []) {
  const query = new URLSearchParams();
  for (const field of AUDIT_FILTER_FIELDS) {
    const value = raw[field];
    const first = Array.isArray(value) ? value[0] : value;
    if (first && !errors.some((e) => e.field === field)) query.set(field, first);
  }
  return query;
}
