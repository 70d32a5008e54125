import { NextResponse, type NextRequest } from "next/server";

// Bad UTF-8 in a path segment (`/customers/%FF`, `/api/.../%ED%A0%80/consent`)
// makes Next.js's own param decoding (decodePathParams in
// next/dist/server/lib/router-utils) throw before any route code runs, and the
// request ends as a bare 500 without the security headers. Checked once, at
// the proxy, the request is answered as any bad path is: the API's error
// envelope (400) or the app's not-found page (404), both through the normal
// response pipeline, so next.config.js's headers apply.

/** The segment that is not percent-encoded UTF-8, or null when every one decodes. */
export function undecodableSegment(pathname: string): string | null {
  for (const segment of pathname.split("/")) {
    try {
      decodeURIComponent(segment);
    } catch {
      return segment;
    }
  }
  return null;
}

/** A rewrite to a path no route has: Next.js renders app/not-found.tsx with a 404. */
export const NOT_FOUND_PATH = "/_not-found-bad-path";

/** The answer for a request whose path does not decode; null lets the request through. Call first in proxy.ts. */
export function refuseUndecodablePath(request: NextRequest): NextResponse | null {
  const { pathname } = request.nextUrl;
  if (undecodableSegment(pathname) === null) return null;
  if (pathname === "/api" || pathname.startsWith("/api/")) {
    const message = "The path is not valid percent-encoded UTF-8.";
    return NextResponse.json(
      { error: { code: "invalid_path", message, fields: { path: message } } },
      { status: 400, headers: { "Cache-Control": "no-store" } },
    );
  }
  return NextResponse.rewrite(new URL(NOT_FOUND_PATH, request.url));
}
