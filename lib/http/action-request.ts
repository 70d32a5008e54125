import { ownOrigins, type OriginContext } from "../auth/same-origin.ts";

// A request Next.js takes for a server action (a POST with `Next-Action`, or a
// multipart POST to a page) that Next.js itself would end as a bare 500, or
// let through to the action: found by posting to the built server. proxy.ts
// answers them first, as the client's mistakes they are.
// - From another site: a foreign Origin, Origin "null", or an empty one (500
//   in Next.js: "Invalid Server Actions request", "Invalid URL"); and a
//   browser's Sec-Fetch-Site that is not same-origin with no Origin at all,
//   which Next.js lets reach the action.
// - Malformed: a multipart body without React's root part "0" ("Connection
//   closed"), a root or a text body that is not JSON ("Unexpected token"), a
//   multipart body that does not parse ("Unexpected end of form").

export type ActionRefusal = { status: 400 | 403; code: string; message: string; field: string };

type ActionRequest = Pick<Request, "method" | "url" | "headers">;

const isMultipart = (request: ActionRequest) =>
  request.headers.get("content-type")?.toLowerCase().startsWith("multipart/form-data") ?? false;

/** What Next.js tries as a server action: its fetch form (`Next-Action`) or a form posted without JavaScript (multipart). */
export const isPossibleAction = (request: ActionRequest) =>
  request.method === "POST" && (request.headers.has("next-action") || isMultipart(request));

const CROSS_SITE: ActionRefusal = {
  status: 403,
  code: "cross_site_request",
  message: "A form or action must be sent from this app's own pages.",
  field: "origin",
};

/**
 * Who sent it, from its headers alone: 403 from another site, 400 for an
 * Origin that is no origin at all; null to let it through. A request with
 * neither Origin nor Sec-Fetch-Site is no browser's, and passes, as in Next.js.
 */
export function refuseActionOrigin(request: ActionRequest, context: OriginContext): ActionRefusal | null {
  if (!isPossibleAction(request)) return null;
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin") return CROSS_SITE;
  const origin = request.headers.get("origin");
  if (origin === null) return null;
  if (origin === "null") return CROSS_SITE;
  if (!/^https?:\/\/[^/\s]+$/i.test(origin)) {
    return { status: 400, code: "invalid_origin", message: "The Origin header is not an origin.", field: "origin" };
  }
  return ownOrigins(request, context).has(origin.toLowerCase()) ? null : CROSS_SITE;
}

const isJson = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

const MALFORMED: ActionRefusal = {
  status: 400,
  code: "invalid_action_body",
  message: "The action's arguments are not in the form a page sends them.",
  field: "body",
};

/**
 * The body in the form React sends it: for a `Next-Action` request JSON text,
 * or multipart with the root part "0" holding JSON; for a form posted without
 * JavaScript, multipart that parses. 400 otherwise; null to let it through. Reads a copy, so the body is left for Next.js; call it
 * after the size checks (lib/http/action-size.ts), which bound that copy.
 */
export async function refuseActionBody(request: Request): Promise<ActionRefusal | null> {
  if (!isPossibleAction(request) || request.body === null) return null;
  const fetched = request.headers.has("next-action");
  if (!isMultipart(request)) return !fetched || isJson(await request.clone().text()) ? null : MALFORMED;
  let form: FormData;
  try {
    form = await request.clone().formData();
  } catch {
    return MALFORMED;
  }
  if (!fetched) return null;
  const root = form.get("0");
  return typeof root === "string" && isJson(root) ? null : MALFORMED;
}
