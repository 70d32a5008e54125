import "server-only";
import { authorize, AuthorizationError, type Actor } from "../auth/actor.ts";
import type { Permission } from "../auth/permissions.ts";
import { actorFromRequest } from "../auth/request.ts";
import { refuseSessionRequest } from "../auth/same-origin.ts";
import { recordRefusal, routeOf } from "../audit/refusals.ts";
import { isConnectionLost } from "../db/errors.ts";
import { duplicateJsonKey, jsonNestsDeeper, MAX_JSON_DEPTH } from "../http/json-depth.ts";
import { readUpTo } from "../http/read-up-to.ts";

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

const ROUTE = Symbol.for("consent-desk.route");
const SAFE_METHODS = new Set(["GET", "HEAD"]);

/** A route handler made with `route` (the authorization table checks every one is). */
export const isRoute = (handler: unknown): boolean => typeof handler === "function" && ROUTE in handler;

/** 503 unavailable, with Retry-After: the database connection was lost and the request may simply be sent again. */
export function unavailable(): Response {
  const message = "The database connection was lost while this request ran. Try again in a moment.";
  const response = apiError(503, "unavailable", message);
  response.headers.set("Retry-After", "1");
  return response;
}

/**
 * A route handler, as every one under app/api is made. When the database
 * connection is lost under it (lib/db/errors.ts: terminated, restarted,
 * failed over), a read runs once more on a fresh connection (the pool has
 * dropped the broken one); a write, or a read that fails again, answers 503
 * with Retry-After, never a bare 500. Whatever the write did was rolled back
 * with its connection.
 */
export function route<A extends [Request, ...unknown[]]>(handler: (...args: A) => Promise<Response>): (...args: A) => Promise<Response> {
  const handle = async (...args: A): Promise<Response> => {
    const [request] = args;
    try {
      return await handler(...args);
    } catch (error) {
      if (!isConnectionLost(error)) throw error;
      console.warn(`Consent Desk: database connection lost during ${request.method} ${routeOf(new URL(request.url).pathname)}`);
      if (!SAFE_METHODS.has(request.method.toUpperCase())) return unavailable();
    }
    // Other connections the server ended at the same moment are noticed (and dropped) before the read runs again.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      return await handler(...args);
    } catch (error) {
      if (!isConnectionLost(error)) throw error;
      return unavailable();
    }
  };
  return Object.assign(handle, { [ROUTE]: true });
}

/** 410 customer_erased: the customer (by this id or external id) was erased at their request. */
export function customerErased(fields?: Record<string, string>): Response {
  return apiError(410, "customer_erased", "This customer was erased at their request; nothing is stored for them any more.", fields);
}

export function invalidRequest(fields: Record<string, string>, status = 422): Response {
  return apiError(status, "invalid_request", `Invalid ${Object.keys(fields).join(", ")}.`, fields);
}

/**
 * The caller if their role has the permission; otherwise the 401/403 answer
 * to return (a 403 is recorded in the audit log). A caller signed in with a
 * browser session, not an API key, must also send an unsafe request from this
 * app's own pages and as JSON (lib/auth/same-origin.ts).
 */
export async function requireApiActor(request: Request, permission: Permission): Promise<Actor | Response> {
  const actor = await actorFromRequest(request);
  if (actor?.kind === "user") {
    const refused = refuseSessionRequest(request);
    if (refused) return apiError(refused.status, refused.code, refused.message);
  }
  try {
    return authorize(actor, permission);
  } catch (error) {
    if (!(error instanceof AuthorizationError)) throw error;
    if (actor && error.status === 403) {
      await recordRefusal(actor, { kind: "route", method: request.method, route: routeOf(new URL(request.url).pathname) }, permission);
    }
    return apiError(error.status, error.status === 401 ? "unauthorized" : "forbidden", error.message);
  }
}

/**
 * The request's body, at most `maxBytes`, or the answer to give instead: 413
 * when it declares or turns out more (read no further), 400 when the client
 * stopped sending it half-way. Nobody hears that 400; answering it keeps a
 * client's disconnect out of the error log, where a throw would land.
 */
export async function readBodyUpTo(request: Request, maxBytes: number, what = "body"): Promise<Uint8Array | Response> {
  const tooLarge = () =>
    apiError(413, "payload_too_large", `The ${what} is larger than ${maxBytes.toLocaleString("en")} bytes.`, { body: "Too large." });
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge();
  try {
    return (await readUpTo(request.body, maxBytes)) ?? tooLarge();
  } catch {
    return apiError(400, "incomplete_body", "The connection closed before the whole body arrived.", { body: "Incomplete." });
  }
}

/**
 * The request body as JSON. A Content-Length over `maxBytes` is refused
 * unread and a chunked body is cut off as soon as it passes the limit (413),
 * so a client cannot make the server buffer more; a body that is not UTF-8
 * JSON, or nests deeper than MAX_JSON_DEPTH, is refused (400) before it is
 * parsed. Either way nothing has been validated or written.
 */
export async function readJsonBody(
  request: Request,
  maxBytes: number,
): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json" && !type?.endsWith("+json")) {
    const message = "Send the body as application/json.";
    return { ok: false, response: apiError(415, "unsupported_media_type", message, { "content-type": message }) };
  }
  const bytes = await readBodyUpTo(request, maxBytes);
  if (bytes instanceof Response) return { ok: false, response: bytes };
  const notJson = {
    ok: false as const,
    response: apiError(400, "invalid_json", "The body is not valid JSON (UTF-8).", { body: "Not valid JSON." }),
  };
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return notJson;
  }
  if (jsonNestsDeeper(text)) {
    const message = `The body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels.`;
    return { ok: false, response: apiError(400, "too_deep", message, { body: message }) };
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    return notJson;
  }
  const duplicate = duplicateJsonKey(text);
  if (duplicate !== null) {
    const message = `The key "${duplicate.slice(0, 80)}" appears twice in one object.`;
    return { ok: false, response: apiError(400, "duplicate_key", message, { [`body.${duplicate.slice(0, 80)}`]: message }) };
  }
  return { ok: true, value };
}
