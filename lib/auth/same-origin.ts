import { fromTrustedProxy } from "./client-ip.ts";

// A browser sends the session cookie with any request to this app, also one a
// page on another site (or another port of this host) makes it send. So a
// request that acts with a session, rather than an API key, must come from
// this app's own pages. (That a body is JSON is the body reader's rule, for
// every caller: readJsonBody in lib/api/http.ts answers 415 otherwise.)

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export type SessionRequestRefusal = { status: 403; code: string; message: string };

type OriginRequest = Pick<Request, "method" | "url" | "headers">;

/** What the app knows of its own address: the public URL (BETTER_AUTH_URL), and whether a proxy's X-Forwarded-* are believed. */
export type OriginContext = { publicUrl: string | undefined; trustForwarded: boolean };

export const originContext = (request: OriginRequest): OriginContext => ({
  publicUrl: process.env.BETTER_AUTH_URL,
  trustForwarded: fromTrustedProxy(request.headers),
});

const originOf = (url: string): string | null => {
  try {
    const { origin } = new URL(url);
    return origin === "null" ? null : origin;
  } catch {
    return null;
  }
};
const first = (value: string | null) => value?.split(",")[0]?.trim() || null;

/**
 * The origins this request may come from: the configured public URL's, and
 * the one the client asked for: behind a proxy TRUST_PROXY names, its
 * X-Forwarded-Host and -Proto; otherwise the Host, over http or https, since
 * a proxy that ends TLS in front of the app leaves no trace of the scheme the
 * browser used (Next.js's own server-action check compares hosts alone). The
 * server's own URL alone (what Next.js puts in request.url: the address it
 * listens on) is not the origin a browser behind a proxy sees.
 */
export function ownOrigins(request: OriginRequest, context: OriginContext): Set<string> {
  const url = new URL(request.url);
  const forwardedHost = context.trustForwarded ? first(request.headers.get("x-forwarded-host")) : null;
  const forwardedScheme = context.trustForwarded ? first(request.headers.get("x-forwarded-proto")) : null;
  const host = forwardedHost || request.headers.get("host") || url.host;
  const schemes = forwardedScheme ? [forwardedScheme] : ["http", "https"];
  const origins = [
    context.publicUrl && originOf(context.publicUrl),
    ...schemes.map((scheme) => originOf(`${scheme}://${host}`)),
    url.origin,
  ];
  return new Set(origins.filter((o): o is string => Boolean(o)));
}

/**
 * Whether the request comes from this app's own pages: Sec-Fetch-Site, which
 * a browser sets and a page cannot forge, says same-origin; or, from a browser
 * that sends none (an older one), the Origin is one of ownOrigins. Neither: no.
 */
export function fromOwnPages(request: OriginRequest, context: OriginContext = originContext(request)): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site !== null) return site === "same-origin";
  const origin = request.headers.get("origin");
  return origin !== null && ownOrigins(request, context).has(origin.toLowerCase());
}

/** Why a session-authenticated request may not act, or null when it may. Pure given `context`: decides from method, URL and headers. */
export function refuseSessionRequest(
  request: OriginRequest,
  context: OriginContext = originContext(request),
): SessionRequestRefusal | null {
  if (!UNSAFE.has(request.method.toUpperCase())) return null;
  if (fromOwnPages(request, context)) return null;
  return {
    status: 403,
    code: "cross_site_request",
    message: "A request made with a browser session must come from this app's own pages. API clients send an API key instead.",
  };
}
