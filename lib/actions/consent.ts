"use server";

import { revalidatePath } from "next/cache";
import { actionActor } from "../auth/action-actor.ts";
import { changeConsent } from "../consent/change.ts";
import { ConsentConflictError, ConsentInputError, ConsentNotFoundError } from "../consent/errors.ts";
import { toPanelConsent, type PanelConsent, type SavedConsent } from "../consent/panel.ts";
import { ConsentChangeInputSchema } from "../validations/consent.ts";
import { issueFields } from "../validations/fields.ts";
import { fieldsFailure, type ActionResult } from "./result.ts";

export type ConsentActionResult = ActionResult<SavedConsent> | { ok: false; error: string; conflict: PanelConsent };

/**
 * The consent panel's save: the purposes and vendors switched, against the
 * version the panel showed. A conflict answers with the fresh state so the
 * panel can show it and let the person decide again.
 */
export async function changeConsentAction(input: unknown): Promise<ConsentActionResult> {
  const gate = await actionActor("consent:write");
  if ("failure" in gate) return gate.failure;
  const parsed = ConsentChangeInputSchema.safeParse(input);
  if (!parsed.success) {
    const fields = issueFields(parsed.error, "input");
    return fieldsFailure(`Check ${Object.keys(fields).join(", ")}: ${Object.values(fields)[0]}`, fields);
  }
  const { customerId, expectedVersion, purposes, vendors, firstChange, reason } = parsed.data;
  try {
    const result = await changeConsent({
      customer: { id: customerId },
      patch: { purposes, vendors },
      expectedVersion,
      firstChange,
      source: "dashboard",
      actor: gate.actor,
      reason: reason || null,
    });
    revalidatePath(`/customers/${customerId}`);
    const { effects } = result;
    return {
      ok: true,
      data: {
        consent: toPanelConsent(result.consent),
        changed: result.change !== null,
        emailCleared: effects.emailCleared,
        emailRestored: effects.emailRestored,
        pushCleared: effects.pushCleared,
        pushRestored: effects.pushRestored,
        notified: effects.signals.map((s) => s.name),
      },
    };
  } catch (error) {
    if (error instanceof ConsentNotFoundError) return { ok: false, error: "This customer no longer exists." };
    if (error instanceof ConsentConflictError) {
      return {
        ok: false,
        error:
          "Someone else changed this customer's consent while you were editing. The panel now shows their change; review it and save again.",
        conflict: toPanelConsent(error.current),
      };
    }
    if (error instanceof ConsentInputError) {
      return fieldsFailure(error.message, error.fields);
    }
    throw error;
  }
}
