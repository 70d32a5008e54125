import { safeNextPath } from "../validations/auth.ts";

/** Set by proxy.ts on every request (overwriting what a client sent): the path and query asked for. */
export const REQUEST_PATH_HEADER = "x-consent-desk-path";

/** The sign-in page, told to come back to `requested` when that is a path of this app. */
export function signInUrl(requested: string | null | undefined): string {
  const next = safeNextPath(requested ?? undefined);
  return next && next !== "/" && !next.startsWith("/sign-in") ? `/sign-in?next=${encodeURIComponent(next)}` : "/sign-in";
}
