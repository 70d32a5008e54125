import "server-only";
import type { Actor } from "./actor.ts";
import { authenticateApiKey } from "./api-keys.ts";
import { clientIp } from "./client-ip.ts";
import { userFromHeaders } from "./session.ts";

/**
 * Who sent a route-handler request: a Bearer API key when the request carries
 * an Authorization header (and nothing else then: a bad key is not rescued by
 * a cookie), otherwise the signed-in user's session.
 */
export async function actorFromRequest(request: Request): Promise<Actor | null> {
  const authorization = request.headers.get("authorization");
  if (authorization !== null) {
    const key = await authenticateApiKey(authorization);
    return key
      ? {
          kind: "api_key",
          id: key.id,
          label: key.name,
          role: key.role,
          ip: clientIp(request.headers),
          userAgent: request.headers.get("user-agent"),
        }
      : null;
  }
  return userFromHeaders(request.headers);
}
