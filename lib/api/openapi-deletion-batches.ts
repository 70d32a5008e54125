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

export const BatchJsonSchema = z.object({
  id: z.string(),
  status: z.enum(BATCH_STATUSES),
  regime: z.enum(REGIMES),
  reason: z.string().nullable(),
  file_name: z.string(),
  total_rows: z.int().describe("Lines with a value on them (blank lines and the header are not rows)."),
  processed_rows: z.int().describe("Rows with an outcome."),
  progress: z.number().min(0).max(1),
  to_erase: z.int().describe("Distinct customers the batch erases, or would once approved."),
  counts: z.object({ erased: z.int(), already_erased: z.int(), not_found: z.int(), invalid: z.int(), pending: z.int() }),
  created_by: who,
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
    counts: z.object(Object.fromEntries(ROW_OUTCOMES.map((o) => [o, z.int()]))),
  }),
});

export function deletionBatchPaths({ json, error, commonErrors, pathParam }: OpenApiHelpers) {
  const id = pathParam("id", "The bulk deletion's id.");
  const batch = { description: "The batch, its counts and progress.", content: json(z.object({ data: BatchJsonSchema })) };
  const decision = (verb: string, effect: string) => ({
    summary: `${verb} a bulk deletion waiting for approval`,
    description: `${effect} Only a second privacy officer or admin: not the uploader (the same user or key: 409). Takes no body.`,
    responses: {
      "200": batch,
      ...commonErrors,
      "404": error("No bulk deletion with this id."),
      "409": error("Not waiting for approval, or you uploaded it."),
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
          "More than 100 customers to erase and the batch waits for a second privacy officer or admin (`awaiting_approval`); otherwise it is queued and erased in the background. " +
          "The batch keeps only each value's keyed hash, never the value.",
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
