import { z } from "zod";
import { issueFields, jsonRecord } from "./fields.ts";
import { text, UNSTORABLE_TEXT } from "./text.ts";
import { isoInstant } from "./time.ts";

/** POST /api/events limits (README, "Loyalty events API"). */
export const MAX_EVENTS = 1_000;
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
export const MAX_ATTRIBUTES_BYTES = 4 * 1024;
export const MAX_AMOUNT = 1_000_000_000;
/** Clocks drift: an event may claim to be this far in the future, no further. */
export const MAX_FUTURE_MS = 5 * 60 * 1000;
export const EVENT_TYPE = /^[a-z][a-z0-9_.-]{0,63}$/;

const utf8 = new TextEncoder();
// PostgreSQL text and jsonb refuse NUL and lone surrogates; refusing them here
// keeps one bad event from failing its batch with a 500. In JSON.stringify's
// output they are the only \u escapes of this form (an escaped backslash before
// the "u" is an even run of backslashes, so it does not count).
const UNSTORABLE_ESCAPE = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f])/i;
const required = (what: string) => (issue: { input: unknown }) => (issue.input === undefined ? "Required" : what);

export const EventSchema = z.strictObject({
  customer_id: text({ error: required("Send the customer's id in your system as a string") })
    .min(1, "Send the customer's id in your system")
    .max(200, "At most 200 characters"),
  event_id: text({ error: "Send your id for the event as a string" })
    .min(1, "Send your id for the event, or leave event_id out")
    .max(200, "At most 200 characters")
    .optional(),
  type: z
    .string({ error: required("Send the event type as a string") })
    .regex(EVENT_TYPE, "Lower-case letters, digits, '_', '.' or '-', starting with a letter, at most 64 characters"),
  // Stored as NUMERIC(12,2): rounded to cents here so what is stored is what earned points.
  amount: z
    .number({ error: "Send the amount as a number" })
    .min(0, "The amount cannot be negative")
    .max(MAX_AMOUNT, "At most 1,000,000,000")
    .transform((v) => Math.round(v * 100) / 100)
    .nullish(),
  // PostgreSQL has no year 0; nothing a loyalty program records predates 1970.
  occurred_at: isoInstant({
    error: "An ISO 8601 date-time with a time zone, e.g. 2026-12-01T09:30:00Z",
    earliest: new Date(0),
    earliestMessage: "Cannot be before 1970",
    maxFutureMs: MAX_FUTURE_MS,
    futureMessage: "Cannot be more than 5 minutes in the future",
  }).optional(),
  attributes: jsonRecord(z.string(), z.unknown(), "Cannot be used as an attribute name", { error: "Send attributes as a JSON object" })
    .superRefine((value, ctx) => {
      const json = JSON.stringify(value);
      if (utf8.encode(json).length > MAX_ATTRIBUTES_BYTES) ctx.addIssue({ code: "custom", message: "At most 4 KB as JSON" });
      else if (UNSTORABLE_ESCAPE.test(json)) ctx.addIssue({ code: "custom", message: `Text ${UNSTORABLE_TEXT.replace(/^C/, "c")}` });
    })
    .optional(),
});

export const EventBatchSchema = z.strictObject({
  events: z
    .array(EventSchema, { error: required("Send a list of events") })
    .min(1, "Send at least one event")
    .max(MAX_EVENTS, `At most ${MAX_EVENTS.toLocaleString("en")} events per request`),
});

/** One event as ingestEvents takes it: defaults applied. */
export interface EventInput {
  customer_id: string;
  /** The client's id for the event: one already stored for the customer is not stored again. */
  event_id?: string | null;
  type: string;
  amount: number | null;
  occurred_at: Date;
  attributes: Record<string, unknown>;
}

export type ParsedEventsBody =
  | { ok: true; events: EventInput[]; single: boolean }
  | { ok: false; status: 413 | 422; code: "batch_too_large" | "invalid_request"; message: string; fields: Record<string, string> };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * A parsed JSON body: one event object, or `{"events": [...]}` with 1..1,000.
 * `now` stamps events sent without `occurred_at`.
 */
export function parseEventsBody(body: unknown, now = new Date()): ParsedEventsBody {
  if (!isObject(body)) {
    return {
      ok: false,
      status: 422,
      code: "invalid_request",
      message: 'Send one event object or {"events": [...]}.',
      fields: { body: "Expected a JSON object" },
    };
  }
  const single = !Object.hasOwn(body, "events");
  if (!single && Array.isArray(body.events) && body.events.length > MAX_EVENTS) {
    const message = `At most ${MAX_EVENTS.toLocaleString("en")} events per request; this one has ${body.events.length.toLocaleString("en")}.`;
    return { ok: false, status: 413, code: "batch_too_large", message, fields: { events: message } };
  }
  const parsed = single ? EventSchema.safeParse(body) : EventBatchSchema.safeParse(body);
  if (!parsed.success) {
    const fields = issueFields(parsed.error);
    return { ok: false, status: 422, code: "invalid_request", message: `Invalid fields: ${Object.keys(fields).join(", ")}.`, fields };
  }
  const raw = "events" in parsed.data ? parsed.data.events : [parsed.data];
  const events = raw.map((e) => ({
    customer_id: e.customer_id,
    event_id: e.event_id ?? null,
    type: e.type,
    amount: e.amount ?? null,
    occurred_at: e.occurred_at ? new Date(e.occurred_at) : now,
    attributes: e.attributes ?? {},
  }));
  return { ok: true, events, single };
}
