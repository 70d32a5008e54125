"use client";

import { useId, useState } from "react";
import { useRouter } from "next/navigation";
import { Trash2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { DialogClose, DialogContent, DialogFooter } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { FormAlert } from "@/components/settings/form-alert";
import { SettingsDialog } from "@/components/settings/form-dialog";
import { useSettingsForm } from "@/components/settings/use-settings-form";
import { deleteCustomerAction } from "@/lib/actions/deletions";
import { confirmationMatches, confirmationPrompt, MAX_DELETION_REASON } from "@/lib/deletions/confirmation";
import type { DeletionPreview } from "@/lib/deletions/preview";
import { DeletionRetention } from "./deletion-retention";
import { DeletionSummary } from "./deletion-summary";
import { FREE_TEXT_HINT } from "@/lib/deletions/free-text";

const REGIME_LABEL = { gdpr: "GDPR", ccpa: "CCPA" } as const;

/**
 * The profile's "Delete customer" control (privacy officers and admins; the
 * page renders it only for them, and the action refuses everyone else). The
 * dialog first says what will happen, then asks for the customer's email or
 * external id: the delete button stays disabled until it matches.
 */
export function DeleteCustomerDialog({ preview }: { preview: DeletionPreview }) {
  return (
    <SettingsDialog
      trigger={
        <Button variant="danger">
          <Trash2 aria-hidden="true" />
          Delete customer
        </Button>
      }
    >
      {/* Mounted only while open: Cancel or Escape throws away what was typed. */}
      {() => <DeleteCustomerContent preview={preview} />}
    </SettingsDialog>
  );
}

function DeleteCustomerContent({ preview }: { preview: DeletionPreview }) {
  const router = useRouter();
  const id = useId();
  const [typed, setTyped] = useState("");
  const { pending, onSubmit, fieldError, formError } = useSettingsForm(deleteCustomerAction, {
    onSuccess: ({ requestId }) => router.push(`/deletions/${requestId}`),
  });
  const target = preview.confirmWith;
  const matches = confirmationMatches(target, typed);
  const accepted = [target.email, target.externalId].filter(Boolean).join(" or ") || target.id;

  return (
    <DialogContent
      title="Delete customer"
      description="Erases what identifies this customer everywhere it is stored, at once and for good. Read what will happen first."
      className="max-w-2xl"
    >
      <DeletionSummary preview={preview} />
      <DeletionRetention retention={preview.retention} keptTotals={preview.keptTotals} />
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4 border-t border-border pt-4">
        <input type="hidden" name="customerId" value={preview.customerId} />
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id={`${id}-regime`} label="Regime" hint="Sets the request's due date." error={fieldError("regime")}>
            <Select name="regime" defaultValue={preview.regimes.default}>
              {preview.regimes.options.map((o) => (
                <option key={o.regime} value={o.regime}>
                  {`${REGIME_LABEL[o.regime]}: due ${o.dueAt.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: preview.regimes.timeZone })}`}
                </option>
              ))}
            </Select>
          </Field>
          <Field
            id={`${id}-reason`}
            label="Reason (optional)"
            hint={`Kept with the request, e.g. “Asked by email”. ${FREE_TEXT_HINT}`}
            error={fieldError("reason")}
          >
            <Input name="reason" maxLength={MAX_DELETION_REASON} autoComplete="off" />
          </Field>
        </div>
        <Field
          id={`${id}-confirmation`}
          label={`Type ${confirmationPrompt(target)} to confirm`}
          hint={
            <>
              Type <span className="font-mono text-fg">{accepted}</span> exactly (an email ignores case).
            </>
          }
          error={fieldError("confirmation")}
          required
        >
          <Input
            name="confirmation"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            maxLength={400}
            required
            className="font-mono text-xs"
          />
        </Field>
        {/* customerId is no field of this form: its refusal shows in the alert. */}
        <FormAlert message={formError ?? fieldError("customerId")} />
        <DialogFooter>
          <DialogClose asChild>
            {/* Cancel has focus first, so Enter never deletes by accident. */}
            <Button type="button" variant="secondary" autoFocus>
              Cancel
            </Button>
          </DialogClose>
          <Button type="submit" variant="danger" pending={pending} disabled={!matches}>
            {pending ? "Deleting…" : "Delete customer"}
          </Button>
        </DialogFooter>
      </form>
    </DialogContent>
  );
}
