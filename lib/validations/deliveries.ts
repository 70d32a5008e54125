import { z } from "zod";
import {
  encodeKeysetCursor,
  keysetCursorParam,
  limitParam,
  parseApiParams,
  parseSearchParams,
  searchParam,
  type ParamError,
  type SearchParamsInput,
} from "./search-params.ts";
import { fromBeforeTo, inTimeRange, TIME_RANGE_MESSAGE } from "./time.ts";

// The delivery log's filters (the integration page and
// GET /api/integrations/{id}/deliveries share them) and the retry inputs.

export const SIGNAL_STATUSES = ["pending", "retrying", "delivered", "failed"] as const;
export type SignalStatusFilter = (typeof SIGNAL_STATUSES)[number];
export const SIGNAL_KINDS = ["consent_change", "delete", "test"] as const;
export type SignalKindFilter = (typeof SIGNAL_KINDS)[number];

export const DELIVERY_PAGE_SIZE = 50;
export const MAX_DELIVERY_PAGE_SIZE = 200;

/** A keyset cursor: the last row's queue time (ISO, milliseconds) and id. */
export const DeliveryCursorSchema = z.object({
  t: z.iso.datetime().refine((t) => inTimeRange(new Date(t))),
  id: z.guid(),
});
export type DeliveryCursor = z.infer<typeof DeliveryCursorSchema>;
export const encodeDeliveryCursor: (cursor: DeliveryCursor) => string = encodeKeysetCursor;

const CURSOR_MESSAGE = "is not a page cursor this log produced; start again from the first page";
const cursorParam = keysetCursorParam(DeliveryCursorSchema, 200, CURSOR_MESSAGE);

const TIME_MESSAGE = "must be a date, or a date and time such as 2026-12-01T09:30 (UTC)";
// A datetime-local value has no zone; the dashboard shows times in UTC, so it is read as UTC. A bare date is its midnight.
const dateTime = z.iso.datetime({ local: true, offset: true });
const day = z.iso.date();

/** A point in time as the filter form or an API client writes it. */
export const UtcTimeSchema = z
  .string()
  .trim()
  .max(40, TIME_MESSAGE)
  .transform((raw, ctx) => {
    const zoned = day.safeParse(raw).success
      ? `${raw}T00:00:00Z`
      : dateTime.safeParse(raw).success
        ? /(Z|[+-]\d{2}:?\d{2})$/i.test(raw)
          ? raw
          : `${raw}Z`
        : null;
    const at = zoned === null ? null : new Date(zoned);
    if (at && inTimeRange(at)) return at;
    ctx.addIssue({ code: "custom", message: at && !Number.isNaN(at.getTime()) ? TIME_RANGE_MESSAGE : TIME_MESSAGE });
    return z.NEVER;
  });

const status = z.enum(SIGNAL_STATUSES, "must be pending, retrying, delivered or failed");
const kind = z.enum(SIGNAL_KINDS, "must be a consent change, a deletion or a test signal");

const logFields = {
  status: searchParam(status),
  kind: searchParam(kind),
  from: searchParam(UtcTimeSchema),
  to: searchParam(UtcTimeSchema),
  after: searchParam(cursorParam),
  before: searchParam(cursorParam),
};

export interface DeliveryLogFilters {
  status?: SignalStatusFilter;
  kind?: SignalKindFilter;
  /** Queued at or after. */
  from?: Date;
  /** Queued before. */
  to?: Date;
  after?: DeliveryCursor;
  before?: DeliveryCursor;
}

const toFilters = (p: DeliveryLogFilters): DeliveryLogFilters => ({
  status: p.status,
  kind: p.kind,
  from: p.from,
  to: p.to,
  after: p.after,
  before: p.before,
});

/** The integration page's URL state: the log's filters and paging, and the signal whose attempts are open. */
export const DeliveryPageParamsSchema = z
  .object({ ...logFields, signal: searchParam(z.guid("must be a signal id from the delivery log")) })
  .superRefine(fromBeforeTo)
  .transform((p) => ({ ...toFilters(p), signal: p.signal }));
export type DeliveryPageParams = z.output<typeof DeliveryPageParamsSchema>;

/** GET /api/integrations/{id}/deliveries: the same filters, and a page size. */
export const DeliveryApiParamsSchema = z
  .object({
    ...logFields,
    limit: limitParam(MAX_DELIVERY_PAGE_SIZE),
  })
  .superRefine(fromBeforeTo)
  .transform((p) => ({ ...toFilters(p), limit: p.limit ?? DELIVERY_PAGE_SIZE }));

/**
 * The page's URL state. A bad parameter never fails the page: it is reported
 * by name and dropped, and the rest still applies.
 */
export function parseDeliveryPageParams(raw: SearchParamsInput): { params: DeliveryPageParams; errors: ParamError[] } {
  const { data, errors } = parseSearchParams(DeliveryPageParamsSchema, raw);
  return { params: data, errors };
}

/** The API's query: any bad parameter refuses the request (422), each named. */
export function parseDeliveryApiParams(
  raw: SearchParamsInput,
): { ok: true; params: DeliveryLogFilters & { limit: number } } | { ok: false; errors: ParamError[] } {
  return parseApiParams(DeliveryApiParamsSchema, raw);
}

/** The filter fields of the log, as the URL spells them, for links that keep them. */
export const DELIVERY_FILTER_FIELDS = ["status", "kind", "from", "to"] as const;

/** What a person reads for a parameter the page could not use. */
export const DELIVERY_PARAM_LABEL: Record<string, string> = {
  status: "Status",
  kind: "Kind",
  from: "Queued from",
  to: "Queued until",
  after: "Next page",
  before: "Previous page",
  signal: "Signal",
};

/** A "retry all failed" takes at most this many, oldest failure first; the answer says how many remain. */
export const MAX_BULK_RETRY = 1_000;

// Retries. The ids are the only input; what may be retried is the domain's rule (lib/delivery/retry.ts).
export const RetrySignalSchema = z.object({ signalId: z.guid("Choose a signal from the delivery log") });
export type RetrySignalInput = z.infer<typeof RetrySignalSchema>;

export const RetryFailedSignalsSchema = z.object({ integrationId: z.guid("Choose an integration from the list") });
export type RetryFailedSignalsInput = z.infer<typeof RetryFailedSignalsSchema>;

/** An id in a route's path: a malformed one answers like an unknown one (404). */
export const PathIdSchema = z.guid();
