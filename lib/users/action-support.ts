import "server-only";
import { revalidatePath } from "next/cache";
import type { ActionResult } from "../actions/result.ts";
import { ruleFailure } from "./errors.ts";

// What the settings actions (lib/actions/users.ts, api-keys.ts) share. Not in
// those files: a "use server" module may export only actions.

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
