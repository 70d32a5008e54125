import { z } from "zod";
import { parseSearchParams, searchParam, type ParamError, type SearchParamsInput } from "./search-params.ts";
import { inTimeRange, TIME_RANGE_MESSAGE } from "./time.ts";
import { isHistoryFilterKey, type HistoryFilterKey } from "../consent/history-diff.ts";

export const HISTORY_PAGE_SIZE = 20;
export const EXPORT_FORMATS = ["csv", "json"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const HistoryPurposeSchema = z
  .string()
  .max(60, "must be a purpose such as email_marketing, or vendors.<slug>")
  .refine(isHistoryFilterKey, "must be a purpose such as email_marketing, or vendors.<slug> such as vendors.meta")
  .transform((v) => v as HistoryFilterKey);

// A datetime-local value has no zone; the dashboard shows times in UTC, so it is read as UTC.
const dateTime = z.iso.datetime({ local: true, offset: true });

export const AsOfSchema = z
  .string()
  .trim()
  .max(40, "must be a date and time such as 2026-12-01T09:30 (UTC)")
  .transform((raw, ctx) => {
    if (dateTime.safeParse(raw).success) {
      const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(raw) ? raw : `${raw}Z`;
      const at = new Date(zoned);
      if (inTimeRange(at)) return at;
      if (!Number.isNaN(at.getTime())) {
        ctx.addIssue({ code: "custom", message: TIME_RANGE_MESSAGE });
        return z.NEVER;
      }
    }
    ctx.addIssue({ code: "custom", message: "must be a date and time such as 2026-12-01T09:30 (UTC)" });
    return z.NEVER;
  });

/** A page cursor: the version of the last entry shown; older entries come next. */
export const HistoryCursorSchema = z
  .string()
  .regex(/^[1-9]\d{0,8}$/, "is not a page cursor this history produced; start again from the newest entries")
  .transform(Number);

export const ExportFormatSchema = z.enum(EXPORT_FORMATS, "must be csv or json");

export const HistoryPageParamsSchema = z.object({
  historyPurpose: searchParam(HistoryPurposeSchema),
  asOf: searchParam(AsOfSchema),
  historyBefore: searchParam(HistoryCursorSchema),
});

const ExportParamsSchema = z.object({
  format: searchParam(ExportFormatSchema),
  purpose: searchParam(HistoryPurposeSchema),
});

export interface HistoryPageParams {
  purpose?: HistoryFilterKey;
  asOf?: Date;
  before?: number;
}

/**
 * The profile page's history state. A bad parameter never fails the page: it
 * is reported by name and dropped, and the rest still applies.
 */
export function parseHistoryPageParams(raw: SearchParamsInput): { params: HistoryPageParams; errors: ParamError[] } {
  const { data, errors } = parseSearchParams(HistoryPageParamsSchema, raw);
  return { params: { purpose: data.historyPurpose, asOf: data.asOf, before: data.historyBefore }, errors };
}

export type HistoryExportParamsResult =
  { ok: true; params: { format: ExportFormat; purpose?: HistoryFilterKey } } | { ok: false; errors: ParamError[] };

/** The export route's query: `format` (json unless csv is asked for) and an optional `purpose` filter. */
export function parseHistoryExportParams(raw: SearchParamsInput): HistoryExportParamsResult {
  const { data, errors } = parseSearchParams(ExportParamsSchema, raw);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, params: { format: data.format ?? "json", purpose: data.purpose } };
}
