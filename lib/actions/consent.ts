"use server";

import { changeConsent } from "../consent/change.ts";
import { ConsentConflictError } from "../consent/errors.ts";
import { toPanelConsent, type PanelConsent, type SavedConsent } from "../consent/panel.ts";
import { ConsentChangeInputSchema } from "../validations/consent.ts";
import { defineAction } from "./define.ts";
import type { ActionResult } from "./result.ts";

type Conflict = { ok: false; error: string; conflict: PanelConsent };
export type ConsentActionResult = ActionResult<SavedConsent> | Conflict;

/** A conflict answers with the fresh state so the panel can show it and let the person decide again. */
function conflict(error: unknown): Conflict | null {
  if (!(error instanceof ConsentConflictError)) return null;
  return {
    ok: false,
    error:
      "Someone else changed this customer's consent while you were editing. The panel now shows their change; review it and save again.",
    conflict: toPanelConsent(error.current),
  };
}

/**
 * The consent panel's save: the purposes and vendors switched, against the
 * version the panel showed.
 */
export const changeConsentAction = defineAction(
  "consent:write",
  ConsentChangeInputSchema,
  async ({ customerId, expectedVersion, purposes, vendors, firstChange, reason }, actor): Promise<SavedConsent> => {
    const result = await changeConsent({
      customer: { id: customerId },
      patch: { purposes, vendors },
      expectedVersion,
      firstChange,
      source: "dashboard",
      actor,
      reason: reason || null,
    });
    const { effects } = result;
    return {
      consent: toPanelConsent(result.consent),
      changed: result.change !== null,
      emailCleared: effects.emailCleared,
      emailRestored: effects.emailRestored,
      pushCleared: effects.pushCleared,
      pushRestored: effects.pushRestored,
      notified: effects.signals.map((s) => s.name),
    };
  },
  { revalidate: (input) => `/customers/${input.customerId}`, failure: conflict },
);
