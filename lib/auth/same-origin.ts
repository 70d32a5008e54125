// A browser sends the session cookie with any request to this app, also one a
// page on another site (or another port of this host) makes it send. So a
// request that acts with a session, rather than an API key, must come from
// this app's own pages. (That a body is JSON is the body reader's rule, for
// every caller: readJsonBody in lib/api/http.ts answers 415 otherwise.)

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export type SessionRequestRefusal = { status: 403; code: string; message: string };

/** Why a session-authenticated request may not act, or null when it may. Pure: decides from method, URL and headers. */
export function refuseSessionRequest(request: Pick<Request, "method" | "url" | "headers">): SessionRequestRefusal | null {
  if (!UNSAFE.has(request.method.toUpperCase())) return null;
  const site = request.headers.get("sec-fetch-site");
  const origin = request.headers.get("origin");
  // Sec-Fetch-Site is set by the browser and cannot be forged by a page; without
  // it (an older browser), the Origin must be this app's own.
  const sameOrigin = site !== null ? site === "same-origin" : origin !== null && origin === new URL(request.url).origin;
  if (!sameOrigin) {
    return {
      status: 403,
      code: "cross_site_request",
      message: "A request made with a browser session must come from this app's own pages. API clients send an API key instead.",
    };
  }
  return null;
}
