import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, createNonce } from "@/lib/security/csp";
import { REQUEST_PATH_HEADER } from "@/lib/auth/sign-in-redirect";
import { originContext } from "@/lib/auth/same-origin";
import { refuseActionBody, refuseActionOrigin, type ActionRefusal } from "@/lib/http/action-request";
import { refuseOversizedAction, refuseUnfitAction } from "@/lib/http/action-size";
import { refuseUndecodablePath } from "@/lib/http/segments";

// Every page request (the matcher below): a fresh CSP nonce, set on the response
// and on the request (Next.js reads the nonce for its scripts from the
// request's Content-Security-Policy header), and the path asked for, so a
// page that sends an anonymous visitor to sign in can bring them back. The
// other security headers are in next.config.js, on every response.
export async function proxy(request: NextRequest) {
  // What would end in Next.js's bare 500 is answered as the client's mistake it is: a path that is not UTF-8
  // (lib/http/segments.ts), an action body over the limit (declared or read) or nested too deep (lib/http/action-size.ts),
  // an action from another site or not in React's form (lib/http/action-request.ts).
  const refused =
    refuseUndecodablePath(request) ??
    refuseOversizedAction(request) ??
    answer(refuseActionOrigin(request, originContext(request))) ??
    (await refuseUnfitAction(request)) ??
    answer(await refuseActionBody(request));
  if (refused) return refused;
  const nonce = createNonce();
  const policy = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV !== "production" });
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", policy);
  headers.set(REQUEST_PATH_HEADER, `${request.nextUrl.pathname}${request.nextUrl.search}`);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  return response;
}

/** A refusal in the API's error envelope. */
function answer(refusal: ActionRefusal | null): NextResponse | null {
  if (!refusal) return null;
  const { status, code, message, field } = refusal;
  return NextResponse.json(
    { error: { code, message, fields: { [field]: message } } },
    { status, headers: { "Cache-Control": "no-store" } },
  );
}

// Pages and their server actions only. An API route needs none of this (its
// answers are JSON, with next.config.js's headers), and a proxy on it would
// cost every API request about a third of its time and make Next.js buffer
// each body for the proxy, also an anonymous caller's.
export const config = {
  matcher: [{ source: "/((?!api(?:/|$)|_next/static|_next/image|favicon\\.ico).*)" }],
};
