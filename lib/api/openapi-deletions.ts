import { z } from "zod";
import { REGIMES } from "../deletions/deadlines.ts";
import { DELETION_STATUSES } from "../deletions/status.ts";
import { SIGNAL_STATUSES } from "../validations/deliveries.ts";
import {
  DEADLINE_STATES,
  DELETION_PAGE_SIZE,
  DELETION_SOURCES,
  ExtendDeletionBodySchema,
  MAX_DELETION_PAGE_SIZE,
} from "../validations/deletion-requests.ts";

// The /api/deletion-requests paths of the OpenAPI document (lib/api/openapi.ts),
// built with its helpers. The extension's body comes from the zod schema the
// handler validates with.

const time = z.string().describe("ISO 8601, UTC.");

const RequestSchema = z.object({
  id: z.string(),
  status: z.enum(DELETION_STATUSES),
  regime: z.enum(REGIMES),
  source: z.enum(DELETION_SOURCES),
  requested_by: z.object({ type: z.string(), label: z.string() }).describe("Who asked: a staff user, an API key or the system."),
  received_at: time,
  due_at: time.describe("The end of the deadline's last day in the business's time zone, extension included."),
  extension: z.int().nonnegative().describe("Months (GDPR) or days (CCPA) beyond the first deadline."),
  deadline: z.enum(DEADLINE_STATES).describe(`overdue: past due and not completed; due_soon: due within 7 days.`),
  erased_at: time.nullable(),
  completed_at: time.nullable().describe("When the last integration acknowledged the delete signal."),
  signals: z.object({ total: z.int(), delivered: z.int(), failed: z.int() }),
});
const DeliverySchema = z.object({
  signal_id: z.string().describe("The delete signal's id (its webhook-id); retry a failed one with POST /api/signals/{id}/retry."),
  integration: z.object({ id: z.string(), name: z.string(), connection: z.enum(["connected", "paused", "disabled"]) }),
  status: z.enum(SIGNAL_STATUSES),
  attempts: z.int().nonnegative(),
  last_attempt_at: time.nullable(),
  last_status_code: z.int().min(100).max(599).nullable(),
  last_error: z.string().nullable(),
  receiver_ref: z.string().nullable().describe("The receiver's reference for the delivery, when its answer named one."),
  delivered_at: time.nullable(),
  failed_at: time.nullable(),
  next_attempt_at: time.nullable(),
});
const DetailSchema = RequestSchema.extend({
  extension_unit: z.enum(["months", "days"]),
  max_extension: z.int(),
  reason: z.string().nullable().describe("Why, as the requester said it; the customer's identifiers in it were erased with them."),
  extension_reason: z.string().nullable(),
  extended_at: time.nullable(),
  summary: z
    .record(z.string(), z.int())
    .describe("What the erasure did, in counts: audiences, journeys, events, consent_changes, integrations."),
  deliveries: z.array(DeliverySchema),
});
const ReceiptSchema = z.object({
  request_id: z.string(),
  regime: z.enum(REGIMES),
  source: z.enum(DELETION_SOURCES),
  status: z.enum(DELETION_STATUSES),
  received_at: time,
  due_at: time,
  extension: z.object({ amount: z.int(), unit: z.enum(["months", "days"]), extended_at: time.nullable() }),
  erased_at: time.nullable(),
  completed_at: time.nullable(),
  acknowledgements: z.array(
    z.object({
      integration: z.string(),
      status: z.enum(SIGNAL_STATUSES),
      acknowledged_at: time.nullable(),
      http_status: z.int().nullable(),
      receiver_reference: z.string().nullable(),
    }),
  ),
  retention_policy: z.array(
    z.object({ table: z.string(), label: z.string(), rows: z.string(), fields: z.array(z.record(z.string(), z.string())) }),
  ),
  identifier_hash: z.string().nullable().describe('"hmac-sha256:<hex>": the keyed hash of the identifier the request named.'),
  identifier_kind: z.enum(["external_id", "email", "phone"]).nullable(),
  identifier_hash_explanation: z.string(),
  issued_at: time,
});
const ExtendedSchema = z.object({
  id: z.string(),
  regime: z.enum(REGIMES),
  extension: z.int(),
  extension_unit: z.enum(["months", "days"]),
  due_at: time,
  previous_due_at: time,
});

type Helpers = {
  json: (s: z.ZodType, io?: "input" | "output") => unknown;
  error: (description: string) => unknown;
  COMMON_ERRORS: Record<string, unknown>;
  pathParam: (name: string, description: string) => unknown;
};

const query = (name: string, description: string, schema: Record<string, unknown> = { type: "string" }) => ({
  name,
  in: "query",
  required: false,
  description,
  schema,
});

export function deletionPaths({ json, error, COMMON_ERRORS, pathParam }: Helpers) {
  const data = (s: z.ZodType) => json(z.object({ data: s }));
  const id = pathParam("id", "The deletion request's id.");
  const notFound = { "404": error("No deletion request with this id.") };
  return {
    "/api/deletion-requests": {
      get: {
        summary: "List deletion requests",
        description: "Newest first, keyset-paged. Needs deletions:read.",
        parameters: [
          query("status", "Only requests in this status.", { type: "string", enum: [...DELETION_STATUSES] }),
          query("regime", "Only requests under this regime.", { type: "string", enum: [...REGIMES] }),
          query("source", "Only requests received this way.", { type: "string", enum: [...DELETION_SOURCES] }),
          query("deadline", "Only requests overdue, due within 7 days, or on track.", { type: "string", enum: [...DEADLINE_STATES] }),
          query("from", "Received at or after (ISO 8601; without a zone, UTC; a bare date is its midnight)."),
          query("to", "Received before (as `from`)."),
          query("limit", `Page size, 1 to ${MAX_DELETION_PAGE_SIZE}.`, {
            type: "integer",
            minimum: 1,
            maximum: MAX_DELETION_PAGE_SIZE,
            default: DELETION_PAGE_SIZE,
          }),
          query("after", "The `next` cursor of the page before."),
          query("before", "The `previous` cursor of the page after."),
        ],
        responses: {
          "200": {
            description: "One page of requests.",
            content: data(
              z.object({
                deletion_requests: z.array(RequestSchema),
                next: z.string().nullable().describe("Pass as `after` for the next (older) page."),
                previous: z.string().nullable().describe("Pass as `before` for the previous (newer) page."),
              }),
            ),
          },
          ...COMMON_ERRORS,
          "422": error("A bad parameter, named in `fields`."),
        },
      },
    },
    "/api/deletion-requests/{id}": {
      parameters: [id],
      get: {
        summary: "A deletion request",
        description: "Its status, deadline and each integration's delivery of the delete signal. Needs deletions:read.",
        responses: { "200": { description: "The request.", content: data(DetailSchema) }, ...COMMON_ERRORS, ...notFound },
      },
    },
    "/api/deletion-requests/{id}/receipt": {
      parameters: [id],
      get: {
        summary: "Proof of deletion",
        description:
          "The request's receipt, with no personal data: when it was received, erased and completed, each integration's acknowledgement " +
          "(time, HTTP status, the receiver's reference), the retention policy applied, and the tombstone's keyed hash of the identifier. " +
          "`?download=1` answers it as an attachment. Needs deletions:read.",
        parameters: [query("download", "1: as an attachment.", { type: "string", enum: ["1"] })],
        responses: { "200": { description: "The receipt.", content: data(ReceiptSchema) }, ...COMMON_ERRORS, ...notFound },
      },
    },
    "/api/deletion-requests/{id}/extension": {
      parameters: [id],
      post: {
        summary: "Extend a deletion request's deadline",
        description:
          "`extension` is the total beyond the first deadline, counted from receipt: months for GDPR (at most 2, Art. 12(3)), days for CCPA " +
          "(at most 45). It must be larger than the current one, and `reason` is required. Written to the audit log. Needs customers:delete.",
        requestBody: { required: true, content: json(ExtendDeletionBodySchema, "input") },
        responses: {
          "200": { description: "The new deadline.", content: data(ExtendedSchema) },
          "400": error("Malformed JSON."),
          ...COMMON_ERRORS,
          ...notFound,
          "409": error("The request is completed: there is no deadline left to extend."),
          "422": error(
            "A field is invalid (over the regime's limit, not larger than the current extension, no reason); `fields` names it.",
          ),
        },
      },
    },
  };
}
