import { z } from "zod";
import type { DeliveryRow } from "../integrations/deliveries.ts";
import { DELIVERY_PAGE_SIZE, MAX_BULK_RETRY, MAX_DELIVERY_PAGE_SIZE, SIGNAL_KINDS, SIGNAL_STATUSES } from "../validations/deliveries.ts";

// The delivery routes' answers and their part of the OpenAPI document
// (lib/api/openapi.ts spreads deliveryApiPaths into its paths).

const time = z.string().describe("ISO 8601, UTC.");

export const DeliveryJsonSchema = z.object({
  id: z.string().describe("The signal's id: the webhook-id of every attempt, retries included."),
  kind: z.enum(SIGNAL_KINDS),
  status: z.enum(SIGNAL_STATUSES),
  attempts: z.int().nonnegative(),
  attempt_base: z.int().nonnegative().describe("Attempts made before the last retry by hand; the retry schedule counts from here."),
  customer: z.object({ id: z.string(), external_id: z.string().nullable() }).nullable().describe("Null once the customer was erased."),
  allowed: z.boolean().nullable().describe("For a consent change: the integration's resulting decision."),
  version: z.int().positive().nullable().describe("For a consent change: the consent record's version."),
  created_at: time,
  next_attempt_at: time.nullable().describe("When the next attempt is due; null once delivered or failed."),
  last_attempt_at: time.nullable(),
  last_status_code: z.int().min(100).max(599).nullable(),
  last_latency_ms: z.int().nonnegative().nullable(),
  last_error: z.string().nullable(),
  receiver_ref: z.string().nullable().describe("The receiver's reference for the delivery, when its answer named one."),
  delivered_at: time.nullable(),
  failed_at: time.nullable(),
});

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function deliveryJson(row: DeliveryRow): z.infer<typeof DeliveryJsonSchema> {
  const waiting = row.status === "pending" || row.status === "retrying";
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    attempts: row.attempts,
    attempt_base: row.attemptBase,
    customer: row.customer ? { id: row.customer.id, external_id: row.customer.externalId } : null,
    allowed: row.consent?.allowed ?? null,
    version: row.consent?.version ?? null,
    created_at: row.createdAt.toISOString(),
    next_attempt_at: waiting ? row.nextAttemptAt.toISOString() : null,
    last_attempt_at: iso(row.lastAttemptAt),
    last_status_code: row.lastStatusCode,
    last_latency_ms: row.lastLatencyMs,
    last_error: row.lastError,
    receiver_ref: row.receiverRef,
    delivered_at: iso(row.deliveredAt),
    failed_at: iso(row.failedAt),
  };
}

const DeliveriesResponseSchema = z.object({
  data: z.object({
    deliveries: z.array(DeliveryJsonSchema),
    next: z.string().nullable().describe("Pass as `after` for the next (older) page."),
    previous: z.string().nullable().describe("Pass as `before` for the previous (newer) page."),
  }),
});
const RetryResponseSchema = z.object({ data: z.object({ id: z.string(), integration_id: z.string(), status: z.literal("pending") }) });
const RetryFailedResponseSchema = z.object({
  data: z.object({
    integration_id: z.string(),
    retried: z.int().nonnegative(),
    ids: z.array(z.string()),
    remaining: z.int().nonnegative(),
  }),
});

type JsonContent = (s: z.ZodType) => Record<string, unknown>;
type ErrorResponse = (description: string) => Record<string, unknown>;
export interface OpenApiHelpers {
  json: JsonContent;
  error: ErrorResponse;
  commonErrors: Record<string, unknown>;
  pathParam: (name: string, description: string) => Record<string, unknown>;
}

const query = (name: string, description: string, schema: Record<string, unknown> = { type: "string" }) => ({
  name,
  in: "query",
  required: false,
  description,
  schema,
});

export function deliveryApiPaths({ json, error, commonErrors, pathParam }: OpenApiHelpers) {
  return {
    "/api/integrations/{id}/deliveries": {
      parameters: [pathParam("id", "The integration's id.")],
      get: {
        summary: "An integration's delivery log",
        description: "Its signals, newest first: status, attempts, the last answer and the receiver's reference. Needs integrations:read.",
        parameters: [
          query("status", "Only signals in this status.", { type: "string", enum: [...SIGNAL_STATUSES] }),
          query("kind", "Only signals of this kind.", { type: "string", enum: [...SIGNAL_KINDS] }),
          query("from", "Queued at or after (ISO 8601; without a zone, UTC; a bare date is its midnight)."),
          query("to", "Queued before (as `from`)."),
          query("limit", `Page size, 1 to ${MAX_DELIVERY_PAGE_SIZE}.`, {
            type: "integer",
            minimum: 1,
            maximum: MAX_DELIVERY_PAGE_SIZE,
            default: DELIVERY_PAGE_SIZE,
          }),
          query("after", "The `next` cursor of the page before."),
          query("before", "The `previous` cursor of the page after."),
        ],
        responses: {
          "200": { description: "One page of the log.", content: json(DeliveriesResponseSchema) },
          ...commonErrors,
          "404": error("No integration with this id."),
          "422": error("A bad parameter, named in `fields`."),
        },
      },
    },
    "/api/integrations/{id}/retry-failed": {
      parameters: [pathParam("id", "The integration's id.")],
      post: {
        summary: "Retry every failed signal of an integration",
        description:
          `Failed signals go back to pending with a fresh retry schedule, each under its own id (webhook-id). ` +
          `At most ${MAX_BULK_RETRY.toLocaleString("en")} a call, oldest failure first: \`remaining\` says how many are left. ` +
          `No failed signal is no error (\`retried\`: 0). Needs deliveries:retry. Takes no body.`,
        responses: {
          "200": { description: "What was retried.", content: json(RetryFailedResponseSchema) },
          ...commonErrors,
          "404": error("No integration with this id."),
          "409": error("The integration is paused or disabled: resume it first."),
        },
      },
    },
    "/api/signals/{id}/retry": {
      parameters: [pathParam("id", "The signal's id (its webhook-id).")],
      post: {
        summary: "Retry a failed signal",
        description:
          "The signal goes back to pending with a fresh retry schedule, under the same id (webhook-id). Needs deliveries:retry. Takes no body.",
        responses: {
          "200": { description: "The signal is pending again.", content: json(RetryResponseSchema) },
          ...commonErrors,
          "404": error("No signal with this id."),
          "409": error("The signal is not failed, or its integration is paused or disabled."),
        },
      },
    },
  };
}
