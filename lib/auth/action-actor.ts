import "server-only";
import type { ActionResult } from "../actions/result.ts";
import { AuthorizationError, type Actor } from "./actor.ts";
import type { Permission } from "./permissions.ts";
import { requireActionActor } from "./session.ts";

// Not in lib/actions: a "use server" module may export only actions.

/** The signed-in caller with the permission, or the failure the form shows instead. */
export async function actionActor(permission: Permission): Promise<{ actor: Actor } | { failure: ActionResult<never> }> {
  try {
    return { actor: await requireActionActor(permission) };
  } catch (error) {
    if (!(error instanceof AuthorizationError)) throw error;
    return { failure: { ok: false, error: error.status === 401 ? "Your session has ended. Sign in again." : error.message } };
  }
}
