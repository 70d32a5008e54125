import { z } from "zod";
import { text } from "./text.ts";

// Any origin we do not serve: only used to tell "a path here" from "somewhere else".
const PROBE_ORIGIN = "http://consent-desk.invalid";

/**
 * Where to go after signing in: `next` resolved by the URL parser against
 * this app, kept only when it stays on this origin, as its path, query and
 * hash. Dot segments, encoded dots and backslashes are resolved first, so
 * `/..//evil.example` is seen for what it is (a `//evil.example` path, which
 * a browser reads as another host) and refused. Undefined: the default page.
 */
export function safeNextPath(value: string | undefined): string | undefined {
  if (!value || !value.startsWith("/")) return undefined;
  let url: URL;
  try {
    url = new URL(value, PROBE_ORIGIN);
  } catch {
    return undefined;
  }
  if (url.origin !== PROBE_ORIGIN) return undefined;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // A path starting with two slashes (or a slash and a backslash) is a host to a browser.
  if (!path.startsWith("/") || /^\/[/\\]/.test(path)) return undefined;
  return path;
}

export const SignInSchema = z.object({
  email: z
    .email("Enter the email address you sign in with")
    .max(254)
    .transform((e) => e.toLowerCase()),
  password: text().min(1, "Enter your password").max(256),
  // Only a path inside this app: never an open redirect.
  next: z.string().optional().transform(safeNextPath).catch(undefined),
});
