import { z } from "zod";
import { MAX_EXTENSION, REGIMES } from "../deletions/deadlines.ts";
import { DELETION_STATUSES } from "../deletions/status.ts";
import { UtcTimeSchema } from "./deliveries.ts";
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
import { text } from "./text.ts";
import { fromBeforeTo, inTimeRange } from "./time.ts";

// The deletion requests' filters (the /deletions page and GET
// /api/deletion-requests share them) and the extension's input.

export const DELETION_SOURCES = ["dashboard", "api", "bulk"] as const;
export type DeletionSourceFilter = (typeof DELETION_SOURCES)[number];
export const DEADLINE_STATES = ["overdue", "due_soon", "on_track"] as const;
export type DeadlineStateFilter = (typeof DEADLINE_STATES)[number];

export const DELETION_PAGE_SIZE = 50;
export const MAX_DELETION_PAGE_SIZE = 200;

/** A keyset cursor: the last row's receipt time (ISO, milliseconds) and id. */
export const DeletionCursorSchema = z.object({
  t: z.iso.datetime().refine((t) => inTimeRange(new Date(t))),
  id: z.guid(),
});
export type DeletionCursor = z.infer<typeof DeletionCursorSchema>;
export const encodeDeletionCursor: (cursor: DeletionCursor) => string = encodeKeysetCursor;

const cursorParam = keysetCursorParam(
  DeletionCursorSchema,
  200,
  "is not a page cursor this list produced; start again from the first page",
);

const listFields = {
  status: searchParam(
    z.enum(DELETION_STATUSES, "must be one of the list's statuses: received, erased, notifying, completed or delivery failed"),
  ),
  regime: searchParam(z.enum(REGIMES, "must be gdpr or ccpa")),
  source: searchParam(z.enum(DELETION_SOURCES, "must be dashboard, api or bulk")),
  deadline: searchParam(z.enum(DEADLINE_STATES, "must be overdue, due soon or on track")),
  from: searchParam(UtcTimeSchema),
  to: searchParam(UtcTimeSchema),
  after: searchParam(cursorParam),
  before: searchParam(cursorParam),
};

export interface DeletionListFilters {
  status?: (typeof DELETION_STATUSES)[number];
  regime?: (typeof REGIMES)[number];
  source?: DeletionSourceFilter;
  deadline?: DeadlineStateFilter;
  /** Received at or after. */
  from?: Date;
  /** Received before. */
  to?: Date;
  after?: DeletionCursor;
  before?: DeletionCursor;
}

const toFilters = (p: DeletionListFilters): DeletionListFilters => ({
  status: p.status,
  regime: p.regime,
  source: p.source,
  deadline: p.deadline,
  from: p.from,
  to: p.to,
  after: p.after,
  before: p.before,
});

/** The /deletions page's URL state. */
export const DeletionListPageParamsSchema = z.object(listFields).superRefine(fromBeforeTo).transform(toFilters);

/** GET /api/deletion-requests: the same filters, and a page size. */
export const DeletionListApiParamsSchema = z
  .object({
    ...listFields,
    limit: limitParam(MAX_DELETION_PAGE_SIZE),
  })
  .superRefine(fromBeforeTo)
  .transform((p) => ({ ...toFilters(p), limit: p.limit ?? DELETION_PAGE_SIZE }));

/** The page's parameters: a bad one is reported by name and dropped, and the rest still applies. */
export function parseDeletionListPageParams(raw: SearchParamsInput): { params: DeletionListFilters; errors: ParamError[] } {
  const { data, errors } = parseSearchParams(DeletionListPageParamsSchema, raw);
  return { params: data, errors };
}

/** The API's query: any bad parameter refuses the request (422), each named. */
export function parseDeletionListApiParams(
  raw: SearchParamsInput,
): { ok: true; params: DeletionListFilters & { limit: number } } | { ok: false; errors: ParamError[] } {
  return parseApiParams(DeletionListApiParamsSchema, raw);
}

/** The list's filter fields as the URL spells them, for links that keep them. */
export const DELETION_FILTER_FIELDS = ["status", "regime", "source", "deadline", "from", "to"] as const;

/** What a person reads for a parameter the page could not use. */
export const DELETION_PARAM_LABEL: Record<string, string> = {
  status: "Status",
  regime: "Regime",
  source: "Received through",
  deadline: "Deadline",
  from: "Received from",
  to: "Received before",
  after: "Next page",
  before: "Previous page",
};

/** A deletion request's id in a path: a malformed one answers like an unknown one (404). */
export const DeletionRequestIdSchema = z.guid("Choose a deletion request from the list");

export const MAX_EXTENSION_REASON = 1_000;
const LARGEST = Math.max(...Object.values(MAX_EXTENSION).map((m) => m.max));
const EXTENSION_MESSAGE = `Choose a whole number: months for GDPR (1–${MAX_EXTENSION.gdpr.max}), days for CCPA (1–${MAX_EXTENSION.ccpa.max})`;

const reason = text("Send the reason as text")
  .trim()
  .min(1, "Say why the request needs more time")
  .max(MAX_EXTENSION_REASON, `Keep the reason to at most ${MAX_EXTENSION_REASON.toLocaleString("en")} characters`);

/** POST /api/deletion-requests/{id}/extension: `{"extension": n, "reason": "..."}`, n the total extension (months for GDPR, days for CCPA). */
export const ExtendDeletionBodySchema = z.strictObject({
  extension: z.int(EXTENSION_MESSAGE).min(1, EXTENSION_MESSAGE).max(LARGEST, EXTENSION_MESSAGE),
  reason,
});
export type ExtendDeletionInput = z.infer<typeof ExtendDeletionBodySchema>;

/** The request page's extension form (text fields, so the number is coerced). */
export const ExtendDeletionFormSchema = z.object({
  requestId: DeletionRequestIdSchema,
  extension: z.coerce.number(EXTENSION_MESSAGE).pipe(ExtendDeletionBodySchema.shape.extension),
  reason,
});

/** GET /api/deletion-requests/{id}/receipt: `download=1` answers it as an attachment. */
export const ReceiptApiParamsSchema = z.object({ download: searchParam(z.enum(["1"], "must be 1 (as an attachment), or left out")) });

export function parseReceiptApiParams(raw: SearchParamsInput): { ok: true; download: boolean } | { ok: false; errors: ParamError[] } {
  const { data, errors } = parseSearchParams(ReceiptApiParamsSchema, raw);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, download: data.download === "1" };
}
