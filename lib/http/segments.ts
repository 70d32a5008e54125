import { NextResponse, type NextRequest } from "next/server";
import { isApiPath, undecodableSegment } from "./edge.ts";

// Bad UTF-8 in a path segment (`/customers/%FF`, `/api/.../%ED%A0%80/consent`)
// makes Next.js's own param decoding (decodePathParams in
// next/dist/server/lib/router-utils) throw before any route code runs, and the
// request ends as a bare 500 without the security headers. Checked once, at
// the proxy, the request is answered as any bad path is: the API's error
// envelope (400) or the app's not-found page (404), both through the normal
// response pipeline, so next.config.js's headers apply. proxy.ts runs on
// pages only: the server's edge (lib/http/edge.ts) answers an API path.

export { undecodableSegment };

/** A rewrite to a path no route has: Next.js renders app/not-found.tsx with a 404. */
export const NOT_FOUND_PATH = "/_not-found-bad-path";

/** The answer for a request whose path does not decode; null lets the request through. Call first in proxy.ts. */
export function refuseUndecodablePath(request: NextRequest): NextResponse | null {
  const { pathname } = request.nextUrl;
  if (undecodableSegment(pathname) === null) return null;
  if (isApiPath(pathname)) {
    const message = "The path is not valid percent-encoded UTF-8.";
    return NextResponse.json(
      { error: { code: "invalid_path", message, fields: { path: message } } },
      { status: 400, headers: { "Cache-Control": "no-store" } },
    );
  }
  return NextResponse.rewrite(new URL(NOT_FOUND_PATH, request.url));
}
