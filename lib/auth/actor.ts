import type { Permission, Role } from "./permissions.ts";
import { can } from "./permissions.ts";

/** Whoever is acting: a signed-in user or an API key, with where the request came from. */
export type Actor = {
  kind: "user" | "api_key";
  id: string;
  /** A user's email or an API key's name: staff identities, never a customer's data. */
  label: string;
  role: Role;
  ip: string | null;
  userAgent: string | null;
};

export class AuthorizationError extends Error {
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
    this.name = "AuthorizationError";
  }
}

/** Throws 401 without an actor and 403 when the actor's role lacks the permission. */
export function authorize(actor: Actor | null, permission: Permission): Actor {
  if (!actor) throw new AuthorizationError(401, "Sign in or send a valid API key.");
  if (!can(actor.role, permission)) {
    throw new AuthorizationError(403, `The ${actor.role} role may not do this (needs ${permission}).`);
  }
  return actor;
}
