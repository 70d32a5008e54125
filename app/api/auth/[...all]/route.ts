import { toNextJsHandler } from "better-auth/next-js";
import { readBodyUpTo, route } from "@/lib/api/http";
import { withClientIp } from "@/lib/auth/client-ip";
import { getAuth } from "@/lib/auth/server";
import { bodyLimitFor } from "@/lib/http/edge";

// better-auth's own endpoints (sign-in over HTTP, sign-out, session), rate limited per client address.
// It reads a body whole, so an anonymous caller's is counted here first and cut off past the API's limit.
const MAX_BODY = bodyLimitFor("/api/auth/");

const handlers = toNextJsHandler(async (request: Request) => {
  const headers = withClientIp(request.headers);
  if (request.body === null) return (await getAuth()).handler(new Request(request, { headers }));
  const body = await readBodyUpTo(request, MAX_BODY);
  if (body instanceof Response) return body;
  return (await getAuth()).handler(
    new Request(request.url, { method: request.method, headers, body: new Uint8Array(body), signal: request.signal }),
  );
});

export const GET = route(handlers.GET);
export const POST = route(handlers.POST);
