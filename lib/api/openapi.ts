import { z } from "zod";
import { deliveryApiPaths } from "./deliveries.ts";
import { PURPOSES } from "../consent/purposes.ts";
import { StorefrontConsentBodySchema, StorefrontConsentResponseSchema } from "../validations/consent.ts";
import { EventBatchSchema, EventSchema, MAX_EVENTS } from "../validations/events.ts";
import { deletionIntakePaths } from "./openapi-deletion-intake.ts";
import { deletionPaths } from "./openapi-deletions.ts";
import { integrationPaths } from "./openapi-integrations.ts";
import { deletionBatchPaths } from "./openapi-deletion-batches.ts";

// The OpenAPI 3.0 document for the API, served at /api/openapi.json. Request
// bodies come from the same zod schemas the route handlers validate with, so
// the document cannot drift from what the server accepts.

const schema = (s: z.ZodType, io: "input" | "output" = "input") =>
  z.toJSONSchema(s, { io, target: "openapi-3.0", unrepresentable: "any" }) as Record<string, unknown>;

const ErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional().describe("The fields that were wrong, by path (e.g. consent.purposes.sms)."),
  }),
});

const EventResultSchema = z.object({
  index: z.int(),
  id: z.string(),
  customer_id: z.string(),
  status: z.enum(["processed", "partially_withheld", "withheld"]),
  points: z.int(),
  tier_progress: z.int(),
  rewards: z.array(z.object({ kind: z.string(), campaign: z.string(), reward: z.string().nullable() })),
  withheld: z.array(z.object({ kind: z.string(), campaign: z.string(), purpose: z.string() })),
  withheld_reason: z.string().nullable(),
  duplicate: z.boolean().describe("The event_id was already stored for this customer: nothing new was stored; this is the stored event."),
});
const EventsResponseSchema = z.object({
  data: z.object({
    events: z.array(EventResultSchema),
    processed: z.int(),
    partially_withheld: z.int(),
    withheld: z.int(),
    duplicates: z.int(),
  }),
});

const SendPreviewResponseSchema = z.object({
  data: z.object({
    audience: z.object({ id: z.string(), name: z.string() }),
    channel: z.enum(["email", "push"]),
    members: z.int(),
    reachable: z.int(),
    skipped: z.object({ consent: z.int(), no_contact: z.int() }),
    link_tracking: z.object({ on: z.int(), off: z.int() }),
  }),
});

const json = (s: z.ZodType, io: "input" | "output" = "output") => ({ "application/json": { schema: schema(s, io) } });
const error = (description: string) => ({ description, content: json(ErrorSchema) });
const COMMON_ERRORS = { "401": error("No valid API key or session."), "403": error("The key's role may not do this.") };
const pathParam = (name: string, description: string) => ({ name, in: "path", required: true, description, schema: { type: "string" } });

export function openApiDocument(baseUrl: string) {
  return {
    openapi: "3.0.3",
    info: {
      title: "Consent Desk API",
      version: "1.0.0",
      description:
        `Consent, loyalty events, evidence exports and integrations. Purposes: ${PURPOSES.join(", ")}; vendors are the integrations' slugs. ` +
        `Every route takes an API key as \`Authorization: Bearer <key>\`; its role decides what it may do.`,
    },
    servers: [{ url: baseUrl }],
    components: { securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "An API key from Settings → API keys." } } },
    security: [{ apiKey: [] }],
    paths: {
      "/api/storefront/v1/customers/{id}/consent": {
        parameters: [pathParam("id", "The customer's id in your system (external id).")],
        get: {
          summary: "A customer's consent",
          description:
            "The stored consent, or the defaults (every purpose and vendor true) when none is recorded. The ETag is the record's version.",
          responses: {
            "200": { description: "The consent.", content: json(StorefrontConsentResponseSchema) },
            ...COMMON_ERRORS,
            "404": error("No customer with this id."),
            "410": error(
              "`customer_erased`: this external id belonged to a customer erased at their request (recognised through the tombstone); nothing is stored.",
            ),
          },
        },
        patch: {
          summary: "Change a customer's consent",
          description:
            "Purposes and vendors the body names change; the others keep their value. " +
            "The first change records consent: purposes it does not name become blocked. " +
            "`consent_string` must be an IAB TCF v2 TC string. Send `If-Match` with the ETag you read to refuse a change over someone else's (409). " +
            "An optional `X-Consent-Reason` header is kept in the consent history.",
          parameters: [
            {
              name: "If-Match",
              in: "header",
              required: false,
              schema: { type: "string" },
              description: 'The version you read, e.g. "3" ("0": nothing recorded).',
            },
            { name: "X-Consent-Reason", in: "header", required: false, schema: { type: "string", maxLength: 500 } },
          ],
          requestBody: { required: true, content: json(StorefrontConsentBodySchema, "input") },
          responses: {
            "200": { description: "The stored consent.", content: json(StorefrontConsentResponseSchema) },
            "400": error("Malformed JSON or If-Match."),
            ...COMMON_ERRORS,
            "404": error("No customer with this id."),
            "410": error(
              "`customer_erased`: this external id belonged to a customer erased at their request (recognised through the tombstone); nothing is stored.",
            ),
            "409": error("The record changed since the If-Match version; `error.current` holds the fresh consent."),
            "422": error("A field is invalid (unknown purpose or vendor, non-boolean, invalid TC string); `fields` names it."),
          },
        },
      },
      "/api/events": {
        post: {
          summary: "Ingest loyalty events",
          description:
            `One event, or \`{"events": [...]}\` with up to ${MAX_EVENTS}. Every event is stored; consent decides what it earns. ` +
            `A batch is atomic: an unknown customer refuses the whole batch (422). ` +
            `An optional \`event_id\` (your id for the event) makes resending safe: an event whose event_id the customer already has is answered as stored before, with \`duplicate: true\`.`,
          requestBody: {
            required: true,
            content: { "application/json": { schema: { oneOf: [schema(EventSchema), schema(EventBatchSchema)] } } },
          },
          responses: {
            "200": { description: "What happened to each event.", content: json(EventsResponseSchema) },
            "400": error("Malformed JSON."),
            ...COMMON_ERRORS,
            "413": error(`More than ${MAX_EVENTS} events, or a body over 2 MB.`),
            "422": error("An invalid field or an unknown customer; `fields` names each."),
            "410": error(
              "`customer_erased`: an event names a customer erased at their request; `fields` names each. The batch is refused whole, as for an unknown customer, and nothing is stored.",
            ),
          },
        },
      },
      "/api/customers/{id}/consent-history": {
        parameters: [pathParam("id", "The customer's internal id.")],
        get: {
          summary: "Export a customer's consent history (proof of consent)",
          parameters: [
            { name: "format", in: "query", schema: { type: "string", enum: ["csv", "json"], default: "json" } },
            { name: "purpose", in: "query", schema: { type: "string" }, description: "Only changes to this purpose or vendors.<slug>." },
          ],
          responses: {
            "200": {
              description: "The history as an attachment.",
              content: { "text/csv": { schema: { type: "string" } }, "application/json": { schema: { type: "object" } } },
            },
            ...COMMON_ERRORS,
            "404": error("No customer with this id."),
            "422": error("A bad parameter, named in `fields`."),
          },
        },
      },
      "/api/audiences/{id}/send-preview": {
        parameters: [pathParam("id", "The audience's id.")],
        get: {
          summary: "Who an audience send would reach",
          parameters: [{ name: "channel", in: "query", required: true, schema: { type: "string", enum: ["email", "push"] } }],
          responses: {
            "200": { description: "Reachable and skipped members, by reason.", content: json(SendPreviewResponseSchema) },
            ...COMMON_ERRORS,
            "404": error("No audience with this id."),
            "422": error("A bad parameter, named in `fields`."),
          },
        },
      },
      ...deliveryApiPaths({ json, error, commonErrors: COMMON_ERRORS, pathParam }),
      "/api/audit/export": {
        get: {
          summary: "Export the audit log as CSV",
          responses: {
            "200": { description: "CSV of the filtered log.", content: { "text/csv": { schema: { type: "string" } } } },
            ...COMMON_ERRORS,
            "400": error("A bad filter."),
          },
        },
      },
      ...integrationPaths({ json, error, COMMON_ERRORS, pathParam }),
      ...deletionIntakePaths({ json, error, COMMON_ERRORS, pathParam }),
      ...deletionPaths({ json, error, COMMON_ERRORS, pathParam }),
      ...deletionBatchPaths({ json, error, commonErrors: COMMON_ERRORS, pathParam }),
    },
  };
}
