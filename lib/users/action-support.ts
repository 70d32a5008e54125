import "server-only";
import { revalidatePath } from "next/cache";
import type { ActionResult } from "../actions/result.ts";
import { AuthorizationError, type Actor } from "../auth/actor.ts";
import type { Permission } from "../auth/permissions.ts";
import { requireActionActor } from "../auth/session.ts";
import { ruleFailure } from "./errors.ts";

// What the settings actions (lib/actions/users.ts, api-keys.ts) share. Not in
// those files: a "use server" module may export only actions.

/** The signed-in caller with the permission, or the failure the form shows instead. */
export async function actionActor(permission: Permission): Promise<{ actor: Actor } | { failure: ActionResult<never> }> {
  try {
    return { actor: await requireActionActor(permission) };
  } catch (error) {
    if (!(error instanceof AuthorizationError)) throw error;
    return { failure: { ok: false, error: error.status === 401 ? "Your session has ended. Sign in again." : error.message } };
  }
}

/**
 * Runs the domain call and refreshes the settings page. The rules' refusals
 * (UserRuleError) become the form's error; anything else is a fault and
 * propagates to the error boundary.
 */
export async function settingsChange<T>(work: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    const data = await work();
    revalidatePath("/settings");
    return { ok: true, data };
  } catch (error) {
    const failure = ruleFailure(error);
    if (failure) return failure;
    throw error;
  }
}
