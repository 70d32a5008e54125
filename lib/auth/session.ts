import "server-only";
import { cache } from "react";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { getPrisma } from "../db/index.ts";
import { AuthorizationError, authorize, type Actor } from "./actor.ts";
import { clientIp } from "./client-ip.ts";
import type { Permission } from "./permissions.ts";
import { getAuth } from "./server.ts";
import { SESSION_IDLE_SECONDS } from "./sign-in-policy.ts";
import { REQUEST_PATH_HEADER, signInUrl } from "./sign-in-redirect.ts";

/**
 * The signed-in user behind these request headers. A session past its idle
 * timeout, or of a deactivated user, is ended here and counts as none.
 */
export async function userFromHeaders(requestHeaders: Headers): Promise<Actor | null> {
  const auth = await getAuth();
  const found = await auth.api.getSession({ headers: requestHeaders });
  if (!found) return null;
  const prisma = await getPrisma();
  const row = await prisma.session.findUnique({
    where: { id: found.session.id },
    select: { lastActiveAt: true, user: { select: { id: true, email: true, role: true, deactivatedAt: true } } },
  });
  const now = Date.now();
  const idle = row ? now - row.lastActiveAt.getTime() : Infinity;
  if (!row || row.user.deactivatedAt || idle > SESSION_IDLE_SECONDS * 1000) {
    await prisma.session.deleteMany({ where: { id: found.session.id } });
    return null;
  }
  // Touch at most once a minute: enough for a 30-minute idle timeout.
  if (idle > 60_000) await prisma.session.update({ where: { id: found.session.id }, data: { lastActiveAt: new Date(now) } });
  return {
    kind: "user",
    id: row.user.id,
    label: row.user.email,
    role: row.user.role,
    ip: clientIp(requestHeaders),
    userAgent: requestHeaders.get("user-agent"),
  };
}

/** The signed-in user of the current page or action request, looked up once per request. */
export const getCurrentUser = cache(async (): Promise<Actor | null> => userFromHeaders(await headers()));

/** For pages and layouts: to sign in, and back to the page asked for afterwards. */
export async function redirectToSignIn(): Promise<never> {
  redirect(signInUrl((await headers()).get(REQUEST_PATH_HEADER)));
}

/** For pages: sends an anonymous visitor to sign in, and answers 403 for a role without the permission. */
export async function requirePageAccess(permission: Permission): Promise<Actor> {
  const user = await getCurrentUser();
  if (!user) return redirectToSignIn();
  try {
    return authorize(user, permission);
  } catch (error) {
    if (error instanceof AuthorizationError) forbidden();
    throw error;
  }
}
