import { z } from "zod";

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

// Search params arrive as string | string[] | undefined; a repeated key keeps its first value, "" is absent.
const single = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (Array.isArray(v) ? v[0] : v === "" ? undefined : v), schema.optional());

/** The send preview page's URL state. Nothing is required: the page asks for what is missing. */
export const SendPreviewPageParamsSchema = z.object({
  audience: single(audienceId),
  channel: single(channel),
  status: single(status),
  after: single(cursor),
  before: single(cursor),
});
export type SendPreviewPageParams = z.output<typeof SendPreviewPageParamsSchema>;

export type FieldError = { field: string; message: string };

function fieldErrors(error: z.ZodError): FieldError[] {
  const seen = new Map<string, string>();
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "query");
    if (!seen.has(field)) seen.set(field, issue.message);
  }
  return [...seen].map(([field, message]) => ({ field, message }));
}

/**
 * Parses the page's URL state. A bad parameter never fails the page: it is
 * reported by name and dropped, and the rest still applies.
 */
export function parseSendPreviewPageParams(
  raw: Record<string, string | string[] | undefined>,
): { params: SendPreviewPageParams; errors: FieldError[] } {
  const first = SendPreviewPageParamsSchema.safeParse(raw);
  if (first.success) return { params: first.data, errors: [] };
  const errors = fieldErrors(first.error);
  const cleaned = Object.fromEntries(Object.entries(raw).filter(([k]) => !errors.some((e) => e.field === k)));
  const second = SendPreviewPageParamsSchema.safeParse(cleaned);
  return { params: second.success ? second.data : {}, errors };
}

/** GET /api/audiences/{id}/send-preview?channel=email|push: both required. */
export const SendPreviewRequestSchema = z.object({
  id: audienceId,
  channel: z.preprocess(
    (v) => (v === null || v === "" ? undefined : v),
    z.enum(CHANNELS, { error: (issue) => (issue.input === undefined ? 'is required: "email" or "push"' : 'must be "email" or "push"') }),
  ),
});

export function parseSendPreviewRequest(input: { id: string; channel: string | null }):
  | { ok: true; data: { id: string; channel: Channel } }
  | { ok: false; errors: FieldError[] } {
  const parsed = SendPreviewRequestSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  return { ok: true, data: parsed.data };
}
