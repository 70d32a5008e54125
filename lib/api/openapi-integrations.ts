import { z } from "zod";
import { PURPOSES } from "../consent/purposes.ts";
import { MAX_ROTATION_OVERLAP_HOURS } from "../delivery/signing.ts";
import { CreateIntegrationSchema, RotateSecretSchema, UpdateIntegrationSchema } from "../validations/integrations.ts";

// The /api/integrations paths of the OpenAPI document (lib/api/openapi.ts),
// built with its helpers. Request bodies come from the zod schemas the
// handlers validate with.

const IntegrationSchema = z.object({
  id: z.string(),
  name: z.string(),
  vendor: z.string(),
  endpoint_url: z
    .string()
    .describe(
      "In full for a caller who manages integrations; for others each query-string value reads `…` (`?token=…`), since receivers take tokens there.",
    ),
  purposes: z.array(z.enum(PURPOSES)),
  enabled: z.boolean(),
  status: z.enum(["connected", "paused", "disabled"]).describe("disabled: the endpoint answered 410 Gone; resume with enabled: true."),
  disabled_reason: z.string().nullable(),
  disabled_at: z.string().nullable(),
  previous_secret_valid_until: z.string().nullable().describe("Until then the secret before the last rotation signs too (two signatures)."),
  created_at: z.string(),
  updated_at: z.string(),
});
const WithSecretSchema = IntegrationSchema.extend({
  signing_secret: z.string().describe("`whsec_` + base64 of 32 random bytes (Standard Webhooks). Shown in this answer only."),
});
const TestResultSchema = z.object({
  signal_id: z.string().describe("The webhook-id the request carried."),
  delivered: z.boolean(),
  status_code: z.int().min(100).max(599).nullable().describe("null: no HTTP answer (refused, timed out, a forbidden address)."),
  latency_ms: z.int().nonnegative(),
  error: z.string().nullable(),
  receiver_ref: z.string().nullable().describe("The receiver's reference from its 2xx body, when it named one."),
});

type Helpers = {
  json: (s: z.ZodType, io?: "input" | "output") => unknown;
  error: (description: string) => unknown;
  COMMON_ERRORS: Record<string, unknown>;
  pathParam: (name: string, description: string) => unknown;
};

export function integrationPaths({ json, error, COMMON_ERRORS, pathParam }: Helpers) {
  const data = (s: z.ZodType) => json(z.object({ data: s }));
  const id = pathParam("id", "The integration's id.");
  const notFound = { "404": error("No integration with this id.") };
  return {
    "/api/integrations": {
      get: {
        summary: "List integrations",
        description: "Every integration, by name. Never a signing secret.",
        responses: { "200": { description: "The integrations.", content: data(z.array(IntegrationSchema)) }, ...COMMON_ERRORS },
      },
      post: {
        summary: "Add an integration",
        description:
          "`endpoint_url` must be https:// (http:// only to loopback with INTEGRATIONS_ALLOW_PRIVATE=1), and every address its host resolves to " +
          "must be public: private, loopback, link-local and metadata addresses are refused (again at every delivery). " +
          "`vendor` is the key under consent.vendors; it cannot change later.",
        requestBody: { required: true, content: json(CreateIntegrationSchema, "input") },
        responses: {
          "201": { description: "Added; `signing_secret` is shown in this answer only.", content: data(WithSecretSchema) },
          "400": error("Malformed JSON."),
          ...COMMON_ERRORS,
          "409": error("Another integration has this vendor; `fields.vendor` says so."),
          "422": error("A field is invalid (an endpoint that is not https or resolves to a private address); `fields` names it."),
        },
      },
    },
    "/api/integrations/{id}": {
      parameters: [id],
      patch: {
        summary: "Change an integration",
        description:
          "Name, endpoint_url, purposes, enabled; what the body leaves out stays. `enabled: false` pauses it, `true` resumes it " +
          "(clearing a 410's disabled state; its queued signals are sent at once). A different `vendor` is refused.",
        requestBody: { required: true, content: json(UpdateIntegrationSchema, "input") },
        responses: {
          "200": { description: "The integration as stored.", content: data(IntegrationSchema) },
          "400": error("Malformed JSON."),
          ...COMMON_ERRORS,
          ...notFound,
          "422": error("A field is invalid, or `vendor` differs; `fields` names it."),
        },
      },
    },
    "/api/integrations/{id}/rotate-secret": {
      parameters: [id],
      post: {
        summary: "Rotate an integration's signing secret",
        description:
          `A new secret signs from now on. The old one keeps signing beside it (two space-separated signatures in webhook-signature) ` +
          `for \`overlap_hours\` (0–${MAX_ROTATION_OVERLAP_HOURS}, default 24; 0 stops it at once). The body is optional.`,
        requestBody: { required: false, content: json(RotateSecretSchema, "input") },
        responses: {
          "200": { description: "Rotated; `signing_secret` is shown in this answer only.", content: data(WithSecretSchema) },
          "400": error("Malformed JSON."),
          ...COMMON_ERRORS,
          ...notFound,
          "422": error("`overlap_hours` is out of range."),
        },
      },
    },
    "/api/integrations/{id}/test": {
      parameters: [id],
      post: {
        summary: "Send a test signal",
        description:
          "Sends one signed `integration.test` request now and answers what the endpoint said; the signal and its attempt are recorded, finished. " +
          "200 whether or not it was delivered: see `delivered`. No body.",
        responses: { "200": { description: "The endpoint's answer.", content: data(TestResultSchema) }, ...COMMON_ERRORS, ...notFound },
      },
    },
  };
}
