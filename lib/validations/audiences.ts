import { z } from "zod";
import { oneValue, paramErrors, parseSearchParams, searchParam, type ParamError, type SearchParamsInput } from "./search-params.ts";

/** The channels an audience send goes out on. */
export const CHANNELS = ["email", "push"] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * Member-list filter: one status, or one skip reason. `consent` wins over
 * `no_contact` when both apply (lib/audiences/send-preview.ts).
 */
export const MEMBER_STATUSES = ["reachable", "skipped", "consent", "no_contact"] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

export const MEMBERS_PAGE_SIZE = 25;

const audienceId = z.guid("must be an audience id");
const channel = z.enum(CHANNELS, { message: 'must be "email" or "push"' });
const status = z.enum(MEMBER_STATUSES, { message: `must be one of ${MEMBER_STATUSES.join(", ")}` });
// The member list is ordered by customer id, so a cursor is the id at the edge of a page.
const cursor = z.guid("is not a page cursor this list produced; start again from the first page");

/** The send preview page's URL state. Nothing is required: the page asks for what is missing. */
export const SendPreviewPageParamsSchema = z.object({
  audience: searchParam(audienceId),
  channel: searchParam(channel),
  status: searchParam(status),
  after: searchParam(cursor),
  before: searchParam(cursor),
});
export type SendPreviewPageParams = z.output<typeof SendPreviewPageParamsSchema>;

/**
 * Parses the page's URL state. A bad parameter never fails the page: it is
 * reported by name and dropped, and the rest still applies.
 */
export function parseSendPreviewPageParams(raw: SearchParamsInput): { params: SendPreviewPageParams; errors: ParamError[] } {
  const { data, errors } = parseSearchParams(SendPreviewPageParamsSchema, raw);
  return { params: data, errors };
}

/** GET /api/audiences/{id}/send-preview?channel=email|push: both required. */
export const SendPreviewRequestSchema = z.object({
  id: audienceId,
  channel: z.preprocess(
    oneValue,
    z.enum(CHANNELS, { error: (issue) => (issue.input === undefined ? 'is required: "email" or "push"' : 'must be "email" or "push"') }),
  ),
});

export function parseSendPreviewRequest(input: {
  id: string;
  /** Every value the query gives `channel` (searchParamsOf). */
  channel: string | readonly string[] | null | undefined;
}): { ok: true; data: { id: string; channel: Channel } } | { ok: false; errors: ParamError[] } {
  const parsed = SendPreviewRequestSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: paramErrors(parsed.error) };
  return { ok: true, data: parsed.data };
}
