import "server-only";
import type { DeletionDelivery, DeletionRequestDetail, DeletionRequestRow } from "../deletions/queries.ts";
import { DeletionRequestNotFoundError, DeletionStateError } from "../deletions/errors.ts";
import { DeletionCompletedError } from "../deletions/extend.ts";
import { DeletionRequestIdSchema } from "../validations/deletion-requests.ts";
import { apiError, invalidRequest } from "./http.ts";

// What the /api/deletion-requests route handlers share: the JSON a request
// answers as (snake_case, as the rest of the API), the path id, and the
// domain's refusals as the error envelope.

export const MAX_EXTENSION_BODY = 16 * 1024;

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function deletionRequestJson(row: DeletionRequestRow) {
  return {
    id: row.id,
    status: row.status,
    regime: row.regime,
    source: row.source,
    requested_by: { type: row.requestedBy.type, label: row.requestedBy.label },
    received_at: row.receivedAt.toISOString(),
    due_at: row.dueAt.toISOString(),
    extension: row.extension,
    deadline: row.deadline,
    erased_at: iso(row.erasedAt),
    completed_at: iso(row.completedAt),
    signals: row.signals,
  };
}

export function deletionDeliveryJson(d: DeletionDelivery) {
  return {
    signal_id: d.signalId,
    integration: { id: d.integration.id, name: d.integration.name, connection: d.integration.connection },
    status: d.status,
    attempts: d.attempts,
    last_attempt_at: iso(d.lastAttemptAt),
    last_status_code: d.lastStatusCode,
    last_error: d.lastError,
    receiver_ref: d.receiverRef,
    delivered_at: iso(d.deliveredAt),
    failed_at: iso(d.failedAt),
    next_attempt_at: iso(d.nextAttemptAt),
  };
}

export function deletionRequestDetailJson(detail: DeletionRequestDetail) {
  return {
    ...deletionRequestJson(detail),
    extension_unit: detail.extensionUnit,
    max_extension: detail.maxExtension,
    reason: detail.reason,
    extension_reason: detail.extensionReason,
    extended_at: iso(detail.extendedAt),
    summary: detail.summary,
    deliveries: detail.deliveries.map(deletionDeliveryJson),
  };
}

export const deletionRequestNotFound = () =>
  apiError(404, "not_found", "No deletion request with this id.", { id: "No deletion request has this id." });

/** The {id} segment as a request id, or the 404 to answer (a malformed id and an unknown one answer alike). */
export async function deletionRequestIdFrom(context: { params: Promise<{ id: string }> }): Promise<string | Response> {
  const parsed = DeletionRequestIdSchema.safeParse((await context.params).id);
  return parsed.success ? parsed.data : deletionRequestNotFound();
}

/** The domain's refusals as answers; null for anything else (a fault, which propagates). */
export function deletionRefusal(error: unknown): Response | null {
  if (error instanceof DeletionRequestNotFoundError) return deletionRequestNotFound();
  if (error instanceof DeletionStateError) {
    const field = error.field ?? "id";
    // A completed request cannot change any more: a conflict; a limit or a missing reason: the input.
    return error instanceof DeletionCompletedError
      ? apiError(409, "conflict", error.message, { [field]: error.message })
      : invalidRequest({ [field]: error.message });
  }
  return null;
}
