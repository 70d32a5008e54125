import { z } from "zod";
import { DELETION_STATUSES } from "../deletions/status.ts";
import { DeletionRequestBodySchema } from "../validations/deletions.ts";

// The deletion intake's paths in the OpenAPI document (lib/api/openapi.ts):
// DELETE /api/customers/{id} and DELETE /api/storefront/v1/customers/{id}.
// The body comes from the zod schema the handlers validate with.

const DeletionRequestAnswerSchema = z.object({
  data: z.object({
    request_id: z.string().describe("The deletion request's id: one per customer, the same when asked again."),
    status: z.enum(DELETION_STATUSES).describe("erased: nothing identifying is stored; completed once every integration acknowledged."),
    due_at: z.string().describe("When the request must be completed (GDPR one calendar month, CCPA 45 days from receipt), ISO 8601."),
  }),
});

type Helpers = {
  json: (s: z.ZodType, io?: "input" | "output") => unknown;
  error: (description: string) => unknown;
  COMMON_ERRORS: Record<string, unknown>;
  pathParam: (name: string, description: string) => unknown;
};

export function deletionIntakePaths({ json, error, COMMON_ERRORS, pathParam }: Helpers) {
  const operation = (by: string) => ({
    summary: `Delete a customer (by ${by})`,
    description:
      "Erases the customer at once, in one transaction: they leave every audience and journey, what identifies them is erased wherever it is " +
      "stored (a keyed-hash tombstone remains), reporting totals stay without them, and one delete signal is queued per integration. " +
      "The body is optional. The key needs customers:delete (privacy officer or admin). Asking again for the same customer is harmless: " +
      "it answers the same request with 200 and queues nothing more.",
    requestBody: { required: false, content: json(DeletionRequestBodySchema, "input") },
    responses: {
      "202": { description: "Received and erased; `Location` is the request.", content: json(DeletionRequestAnswerSchema) },
      "200": { description: "Asked before: the same request, as it stands.", content: json(DeletionRequestAnswerSchema) },
      "400": error("Malformed JSON."),
      ...COMMON_ERRORS,
      "404": error("No customer with this id (a malformed id too)."),
      "413": error("A body over 16 KB."),
      "415": error("A body that is not application/json."),
      "422": error("A field is invalid (an unknown regime, an unknown key, a reason over 1,000 characters); `fields` names it."),
    },
  });
  return {
    "/api/customers/{id}": { parameters: [pathParam("id", "The customer's internal id.")], delete: operation("internal id") },
    "/api/storefront/v1/customers/{id}": {
      parameters: [pathParam("id", "The customer's id in your system (external id). An erased one is recognised through the tombstone.")],
      delete: operation("external id"),
    },
  };
}
