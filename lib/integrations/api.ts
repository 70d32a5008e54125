import "server-only";
import { apiError, invalidRequest, readJsonBody } from "../api/http.ts";
import type { Role } from "../auth/permissions.ts";
import { IntegrationIdSchema } from "../validations/integrations.ts";
import { endpointShownTo } from "./endpoint-display.ts";
import { IntegrationInputError, IntegrationNotFoundError } from "./errors.ts";
import type { IntegrationView } from "./manage.ts";
import type { TestSignalResult } from "./test-signal.ts";

// What the /api/integrations route handlers share: the JSON an integration
// answers as (snake_case, as the rest of the API), the path id, the optional
// body, and the domain's refusals as the error envelope.

export const MAX_INTEGRATION_BODY = 16 * 1024;

/** `viewer`: who reads the answer; the endpoint's query values are masked for those who do not manage integrations. */
export function integrationJson(view: IntegrationView, viewer: { role: Role }) {
  return {
    id: view.id,
    name: view.name,
    vendor: view.vendor,
    endpoint_url: endpointShownTo(viewer.role, view.endpointUrl),
    purposes: view.purposes,
    enabled: view.enabled,
    status: view.status,
    disabled_reason: view.disabledReason,
    disabled_at: view.disabledAt?.toISOString() ?? null,
    previous_secret_valid_until: view.previousSecretValidUntil?.toISOString() ?? null,
    created_at: view.createdAt.toISOString(),
    updated_at: view.updatedAt.toISOString(),
  };
}

export function testResultJson(result: TestSignalResult) {
  return {
    signal_id: result.signalId,
    delivered: result.delivered,
    status_code: result.statusCode,
    latency_ms: result.latencyMs,
    error: result.error,
    receiver_ref: result.receiverRef,
  };
}

export function dataResponse(data: unknown, status = 200): Response {
  return Response.json({ data }, { status, headers: { "Cache-Control": "no-store" } });
}

const notFound = () => apiError(404, "not_found", "No integration with this id.", { id: "No integration has this id." });

/** The {id} segment as an integration id, or the 404 to answer (a malformed id and an unknown one answer alike). */
export async function integrationIdFrom(context: { params: Promise<{ id: string }> }): Promise<string | Response> {
  const parsed = IntegrationIdSchema.safeParse((await context.params).id);
  return parsed.success ? parsed.data : notFound();
}

/** A body that may be left out: no Content-Type and no bytes reads as `{}`; anything else must be JSON. */
export async function readOptionalJsonBody(request: Request) {
  // An empty body is no body, whatever content type a client sends with it (curl -H 'content-type: application/json' -X POST).
  if (
    request.body === null ||
    request.headers.get("content-length") === "0" ||
    (!request.headers.has("content-type") && !request.headers.has("content-length"))
  ) {
    return { ok: true as const, value: {} };
  }
  return readJsonBody(request, MAX_INTEGRATION_BODY);
}

/** The domain's refusals as answers; null for anything else (a fault, which propagates). */
export function integrationRefusal(error: unknown): Response | null {
  if (error instanceof IntegrationNotFoundError) return notFound();
  if (error instanceof IntegrationInputError) {
    return error.status === 409 ? apiError(409, "conflict", error.message, error.fields) : invalidRequest(error.fields);
  }
  return null;
}
