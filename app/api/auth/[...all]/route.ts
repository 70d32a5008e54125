import { toNextJsHandler } from "better-auth/next-js";
import { getAuth } from "@/lib/auth/server";

// better-auth's own endpoints (sign-in over HTTP, sign-out, session), rate limited per IP.
export const { GET, POST } = toNextJsHandler(async (request: Request) => (await getAuth()).handler(request));
