import { z } from "zod";
import { REGIMES } from "../deletions/deadlines.ts";
import { MAX_CSV_BYTES } from "../deletions/csv.ts";
import { parseSearchParams, searchParam, type ParamError, type SearchParamsInput } from "./search-params.ts";
import { text } from "./text.ts";

// A bulk deletion's inputs: the upload (a CSV body with query parameters,
// or a JSON envelope), the decision on one waiting for approval, and the
// batch page's row paging.

const regime = z.enum(REGIMES, "Choose GDPR or CCPA");
const reason = text().trim().max(500, "At most 500 characters");
const fileName = text().trim().min(1, "Name the file").max(200, "At most 200 characters");

/** `POST /api/deletion-batches` with `Content-Type: text/csv`: the file is the body, the rest is the query. */
export const UploadQuerySchema = z.strictObject({
  regime: searchParam(regime),
  reason: searchParam(reason),
  file_name: searchParam(fileName),
});

/** `POST /api/deletion-batches` with `Content-Type: application/json`. */
export const UploadJsonSchema = z.strictObject({
  csv: text()
    .min(1, "Send the CSV's text")
    .max(MAX_CSV_BYTES, `At most ${MAX_CSV_BYTES.toLocaleString("en")} characters`)
    .describe("The CSV file's text: one external id or email per line, optionally under a header `external_id` or `email`."),
  regime: regime.optional().describe("The deadline's regime; default: the business's (DELETION_REGIME)."),
  reason: reason.optional(),
  file_name: fileName.optional(),
});
export type UploadJson = z.infer<typeof UploadJsonSchema>;

export const BatchDecisionSchema = z.object({ batchId: z.guid("Choose a bulk deletion from the list") });

export const BatchPageParamsSchema = z.object({
  page: searchParam(z.coerce.number("A page number").int("A whole page number").min(1, "Pages start at 1").max(100_000, "No such page")),
});

export function parseBatchPageParams(raw: SearchParamsInput): { params: { page: number }; errors: ParamError[] } {
  const { data, errors } = parseSearchParams(BatchPageParamsSchema, raw);
  return { params: { page: data.page ?? 1 }, errors };
}
