import { z } from "zod";
import { BATCH_STATUSES, ROW_OUTCOMES } from "../deletions/bulk-labels.ts";
import { MAX_CSV_BYTES, MAX_CSV_ROWS } from "../deletions/csv.ts";
import { REGIMES } from "../deletions/deadlines.ts";
import { UploadJsonSchema } from "../validations/deletion-batches.ts";
import type { OpenApiHelpers } from "./deliveries.ts";

// The bulk deletion routes' part of the OpenAPI document (lib/api/openapi.ts
// spreads deletionBatchPaths into its paths) and the batch's JSON shape.

const time = z.string().describe("ISO 8601, UTC.");
const who = z.object({ id: z.string().nullable(), label: z.string() });
const uploader = who.extend({ type: z.enum(["user", "api_key"]).describe("A signed-in user or an API key.") });
const FREE_TEXT = "Emails, phone numbers and the names and ids of the customers it concerns are replaced by [erased] as it is stored.";

export const BatchJsonSchema = z.object({
  id: z.string(),
  status: z.enum(BATCH_STATUSES),
  regime: z.enum(REGIMES),
  reason: z.string().nullable().describe(FREE_TEXT),
  file_name: z.string().describe(FREE_TEXT),
  total_rows: z.int().describe("Lines with a value on them (blank lines and the header are not rows)."),
  processed_rows: z.int().describe("Rows with an outcome."),
  progress: z.number().min(0).max(1),
  to_erase: z.int().describe("Distinct customers the batch erases, or would once approved."),
  recent_to_erase: z
    .int()
    .describe(
      "Customers the same uploader (a person, with the keys they created) asked to erase in bulk in the 24 hours before this upload.",
    ),
  counts: z.object({ erased: z.int(), already_erased: z.int(), not_found: z.int(), invalid: z.int(), pending: z.int() }),
  created_by: uploader,
  created_at: time,
  decided_by: who.nullable().describe("Who approved or rejected it."),
  decided_at: time.nullable(),
  started_at: time.nullable(),
  finished_at: time.nullable(),
});

const UploadResponseSchema = z.object({
  data: z.object({
    id: z.string(),
    status: z.enum(BATCH_STATUSES),
    total_rows: z.int(),
    to_erase: z.int(),
    recent_to_erase: z.int(),
    counts: z.object(Object.fromEntries(ROW_OUTCOMES.map((o) => [o, z.int()]))),
  }),
});

export function deletionBatchPaths({ json, error, commonErrors, pathParam }: OpenApiHelpers) {
  const id = pathParam("id", "The bulk deletion's id.");
  const batch = { description: "The batch, its counts and progress.", content: json(z.object({ data: BatchJsonSchema })) };
  const decision = (verb: string, effect: string) => ({
    summary: `${verb} a bulk deletion waiting for approval`,
    description:
      `${effect} Only a second privacy officer or admin, signed in: an API key is refused (403 \`person_required\`), ` +
      "and so is the person who uploaded it or created the key that did (409 `own_upload`). Takes no body.",
    responses: {
      "200": batch,
      ...commonErrors,
      "403": error("An API key (a person must decide, signed in), or a role without customers:delete."),
      "404": error("No bulk deletion with this id."),
      "409": error("Not waiting for approval (`not_waiting`), or you uploaded it or created the key that did (`own_upload`)."),
    },
  });
  return {
    "/api/deletion-batches": {
      post: {
        summary: "Upload a bulk deletion (CSV)",
        description:
          "One external id or email per line, optionally under a header `external_id` or `email` (without one, a value with an @ is an email). " +
          `Quoted values, CRLF, a BOM and blank lines are fine; at most ${MAX_CSV_BYTES.toLocaleString("en")} bytes and ${MAX_CSV_ROWS.toLocaleString("en")} rows. ` +
          "Send the file as `text/csv` with `regime`, `reason` and `file_name` in the query, or as JSON with its text in `csv`. " +
          "Every row is resolved at once: a customer to erase (a deletion request, `received`, source `bulk`), `already_erased`, `not_found` or `invalid`. " +
          "When the uploader (a person, counting the API keys they created) passes 100 customers to erase within 24 hours, the batch waits for " +
          "a second privacy officer or admin (`awaiting_approval`); otherwise it is queued and erased in the background. " +
          "The batch keeps only each value's keyed hash, never the value; its reason and file name lose any identifier typed into them.",
        parameters: [
          { name: "regime", in: "query", schema: { type: "string", enum: [...REGIMES] }, description: "With text/csv." },
          { name: "reason", in: "query", schema: { type: "string", maxLength: 500 }, description: "With text/csv." },
          { name: "file_name", in: "query", schema: { type: "string", maxLength: 200 }, description: "With text/csv." },
        ],
        requestBody: {
          required: true,
          content: {
            "text/csv": { schema: { type: "string" } },
            ...json(UploadJsonSchema),
          },
        },
        responses: {
          "201": { description: "The batch, created.", content: json(UploadResponseSchema) },
          "400": error("Malformed JSON."),
          ...commonErrors,
          "413": error(`A file over ${MAX_CSV_BYTES.toLocaleString("en")} bytes: refused before it is read whole.`),
          "415": error("Neither text/csv nor application/json."),
          "422": error(
            "A bad parameter or field, or a file that is not a CSV of ids (not UTF-8, NUL bytes, no rows, too many rows); `fields` names it.",
          ),
        },
      },
    },
    "/api/deletion-batches/{id}": {
      parameters: [id],
      get: {
        summary: "A bulk deletion's status, counts and progress",
        responses: { "200": batch, ...commonErrors, "404": error("No bulk deletion with this id.") },
      },
    },
    "/api/deletion-batches/{id}/result": {
      parameters: [id],
      get: {
        summary: "A bulk deletion's result as CSV",
        description:
          "`row,outcome,request_id,message`: each row's line in the file, its outcome (`pending` until processed), the deletion request and why.",
        responses: {
          "200": { description: "The result as an attachment.", content: { "text/csv": { schema: { type: "string" } } } },
          ...commonErrors,
          "404": error("No bulk deletion with this id."),
        },
      },
    },
    "/api/deletion-batches/{id}/approve": { parameters: [id], post: decision("Approve", "It is queued and erased in the background.") },
    "/api/deletion-batches/{id}/reject": {
      parameters: [id],
      post: decision("Reject", "Nothing in it is erased; the deletion requests it created are removed."),
    },
  };
}
