import "server-only";
import { authorize, AuthorizationError, type Actor } from "../auth/actor.ts";
import type { Permission } from "../auth/permissions.ts";
import { actorFromRequest } from "../auth/request.ts";

// What every JSON route handler under app/api shares: the error envelope of
// PRODUCT.md ({"error": {"code", "message", "fields"}}), the caller's role
// check and a bounded JSON body.

const NO_STORE = { "Cache-Control": "no-store" };

export function apiError(
  status: number,
  code: string,
  message: string,
  fields?: Record<string, string>,
  extra?: Record<string, unknown>,
): Response {
  return Response.json({ error: { code, message, ...(fields ? { fields } : {}), ...extra } }, { status, headers: NO_STORE });
}

export function invalidRequest(fields: Record<string, string>, status = 422): Response {
  return apiError(status, "invalid_request", `Invalid ${Object.keys(fields).join(", ")}.`, fields);
}

/** The caller if their role has the permission; otherwise the 401/403 answer to return. */
export async function requireApiActor(request: Request, permission: Permission): Promise<Actor | Response> {
  try {
    return authorize(await actorFromRequest(request), permission);
  } catch (error) {
    if (!(error instanceof AuthorizationError)) throw error;
    return apiError(error.status, error.status === 401 ? "unauthorized" : "forbidden", error.message);
  }
}

/**
 * The request body as JSON, refusing a body over `maxBytes` (413) and one
 * that is not JSON (400) before anything is validated or written.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  const declared = Number(request.headers.get("content-length"));
  const tooLarge = () => ({
    ok: false as const,
    response: apiError(413, "payload_too_large", `The body is over ${Math.round(maxBytes / 1024)} KB.`, { body: "Too large." }),
  });
  if (declared > maxBytes) return tooLarge();
  const text = await request.text();
  if (Buffer.byteLength(text) > maxBytes) return tooLarge();
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, response: apiError(400, "invalid_json", "The body is not valid JSON.", { body: "Not valid JSON." }) };
  }
}
