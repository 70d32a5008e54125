import "server-only";
import { z } from "zod";
import type { Actor } from "../auth/actor.ts";
import type { BatchView } from "../deletions/batches.ts";
import { BatchNotFoundError, BulkUploadError, uploadDeletionBatch } from "../deletions/bulk.ts";
import { MAX_CSV_BYTES } from "../deletions/csv.ts";
import { REGIMES } from "../deletions/deadlines.ts";
import { ApprovalRefusedError, DeletionStateError } from "../deletions/errors.ts";
import { issueFields } from "../validations/fields.ts";
import { searchParamsOf } from "../validations/search-params.ts";
import { UploadJsonSchema, UploadQuerySchema } from "../validations/deletion-batches.ts";
import { apiError, invalidRequest, readBodyUpTo, readJsonBody } from "./http.ts";
import { BatchJsonSchema } from "./openapi-deletion-batches.ts";

// The bulk deletion routes' answers and the upload's two body forms (their
// part of the OpenAPI document: openapi-deletion-batches.ts).

const NO_STORE = { "Cache-Control": "no-store" };
const iso = (d: Date | null) => d?.toISOString() ?? null;

export function batchJson(batch: BatchView): z.infer<typeof BatchJsonSchema> {
  return {
    id: batch.id,
    status: batch.status,
    regime: batch.regime,
    reason: batch.reason,
    file_name: batch.fileName,
    total_rows: batch.totalRows,
    processed_rows: batch.processedRows,
    progress: batch.totalRows === 0 ? 1 : batch.processedRows / batch.totalRows,
    to_erase: batch.toErase,
    recent_to_erase: batch.recentToErase,
    counts: batch.counts,
    created_by: { id: batch.createdBy.id, label: batch.createdBy.label, type: batch.createdBy.type },
    created_at: batch.createdAt.toISOString(),
    decided_by: batch.decidedBy,
    decided_at: iso(batch.decidedAt),
    started_at: iso(batch.startedAt),
    finished_at: iso(batch.finishedAt),
  };
}

export const batchResponse = (batch: BatchView, status = 200) => Response.json({ data: batchJson(batch) }, { status, headers: NO_STORE });

/** A domain refusal as the API answers it; null for anything else (a fault). */
export function batchError(error: unknown): Response | null {
  if (error instanceof BatchNotFoundError) return apiError(404, "not_found", error.message, { id: error.message });
  if (error instanceof ApprovalRefusedError)
    return apiError(error.refusal.status, error.refusal.code, error.message, { id: error.message });
  if (error instanceof DeletionStateError) return apiError(409, "conflict", error.message, { [error.field ?? "id"]: error.message });
  if (error instanceof BulkUploadError) {
    const code = error.status === 413 ? "payload_too_large" : "invalid_file";
    return apiError(error.status, code, error.message, { [error.field]: error.message });
  }
  return null;
}

/** A JSON upload's limit: JSON escapes make the text longer than the file; the schema holds the CSV itself to MAX_CSV_BYTES. */
export const MAX_UPLOAD_JSON_BYTES = MAX_CSV_BYTES + 64 * 1024;

/**
 * The upload, from either body: `text/csv` (the file itself; regime, reason
 * and file_name in the query) or `application/json` (UploadJsonSchema). A
 * body over the limit is refused unread when it says so, and cut off as soon
 * as it passes the limit when it does not (413): never read whole.
 */
export async function uploadFromRequest(request: Request, actor: Actor): Promise<Response> {
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  let input: { csv: Uint8Array | string; regime?: (typeof REGIMES)[number]; reason?: string; file_name?: string };
  if (type === "text/csv") {
    const query = UploadQuerySchema.safeParse(Object.fromEntries(Object.entries(searchParamsOf(new URL(request.url)))));
    if (!query.success) return invalidRequest(issueFields(query.error, "query"));
    const bytes = await readBodyUpTo(request, MAX_CSV_BYTES, "file");
    if (bytes instanceof Response) return bytes;
    input = { csv: bytes, ...query.data };
  } else {
    const body = await readJsonBody(request, MAX_UPLOAD_JSON_BYTES);
    if (!body.ok) {
      if (body.response.status !== 415) return body.response;
      const message = "Send the file as text/csv, or as application/json with its text in `csv`.";
      return apiError(415, "unsupported_media_type", message, { "content-type": message });
    }
    const parsed = UploadJsonSchema.safeParse(body.value);
    if (!parsed.success) return invalidRequest(issueFields(parsed.error));
    input = parsed.data;
  }
  try {
    const uploaded = await uploadDeletionBatch({
      csv: input.csv,
      fileName: input.file_name ?? "upload.csv",
      regime: input.regime,
      reason: input.reason ?? null,
      actor,
    });
    return Response.json(
      {
        data: {
          id: uploaded.id,
          status: uploaded.status,
          total_rows: uploaded.totalRows,
          to_erase: uploaded.toErase,
          recent_to_erase: uploaded.recentToErase,
          counts: uploaded.counts,
        },
      },
      { status: 201, headers: { ...NO_STORE, Location: `/api/deletion-batches/${uploaded.id}` } },
    );
  } catch (error) {
    const refused = batchError(error);
    if (refused) return refused;
    throw error;
  }
}
