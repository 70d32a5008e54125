import { toNextJsHandler } from "better-auth/next-js";
import { withClientIp } from "@/lib/auth/client-ip";
import { getAuth } from "@/lib/auth/server";

// better-auth's own endpoints (sign-in over HTTP, sign-out, session), rate limited per client address.
export const { GET, POST } = toNextJsHandler(async (request: Request) =>
  (await getAuth()).handler(new Request(request, { headers: withClientIp(request.headers) })),
);
