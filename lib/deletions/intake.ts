import "server-only";
import { apiError, invalidRequest, requireApiActor } from "../api/http.ts";
import { readOptionalJsonBody } from "../integrations/api.ts";
import { DeletionRequestBodySchema } from "../validations/deletions.ts";
import { issueFields } from "../validations/fields.ts";
import { requestDeletion, type CustomerKey, type DeletionRequestRef } from "./erase.ts";
import { CustomerNotFoundError } from "./errors.ts";

// The REST intake (PRODUCT.md, "Deletion"): DELETE /api/customers/{id} and
// DELETE /api/storefront/v1/customers/{externalId} share this pipeline: the
// key's role, the path's customer, the optional body, then requestDeletion.
// 202 when the request is new, 200 with the same request when it was made
// before; nothing is erased on any 4xx.

export function deletionRequestJson(request: DeletionRequestRef) {
  return { request_id: request.id, status: request.status, due_at: request.dueAt.toISOString() };
}

/**
 * Answers a DELETE for the customer `key` names; `key` null (a malformed id)
 * answers 404 like an unknown one, after the role check, as the other routes do.
 */
export async function deletionIntake(request: Request, key: CustomerKey | null, notFoundMessage: string): Promise<Response> {
  const actor = await requireApiActor(request, "customers:delete");
  if (actor instanceof Response) return actor;
  const notFound = () => apiError(404, "not_found", "No customer with this id.", { id: notFoundMessage });
  if (key === null) return notFound();

  const body = await readOptionalJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = DeletionRequestBodySchema.safeParse(body.value);
  if (!parsed.success) return invalidRequest(issueFields(parsed.error));

  try {
    const { request: made, created } = await requestDeletion({ customer: key, source: "api", ...parsed.data, actor });
    return Response.json(
      { data: deletionRequestJson(made) },
      { status: created ? 202 : 200, headers: { "Cache-Control": "no-store", Location: `/api/deletion-requests/${made.id}` } },
    );
  } catch (error) {
    if (error instanceof CustomerNotFoundError) return notFound();
    throw error;
  }
}
