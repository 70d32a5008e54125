"use client";

import { Button } from "@/components/ui/button";
import { DialogContent } from "@/components/ui/dialog";
import type { FormAction } from "@/lib/actions/result";
import { FormAlert } from "./form-alert";
import { FormDialogActions, SettingsDialog } from "./form-dialog";
import { useSettingsForm } from "./use-settings-form";

export interface ConfirmActionDialogProps<T> {
  /** The trigger's visible word and its accessible name (which names the subject). */
  trigger: { label: string; ariaLabel: string };
  title: string;
  description: string;
  /** The one field the action needs: the subject's id. */
  field: { name: string; value: string };
  action: FormAction<T>;
  confirm: { label: string; pendingLabel: string };
  onSuccess: (data: T) => void;
  /** False for a confirmation that takes nothing away (resuming): the confirm button is not red. Default true. */
  danger?: boolean;
}

/**
 * A destructive settings action behind a dialog that says what will happen.
 * Cancel has focus, so Enter never confirms by accident (unless `danger` is false).
 */
export function ConfirmActionDialog<T>(props: ConfirmActionDialogProps<T>) {
  return (
    <SettingsDialog
      trigger={
        <Button variant="secondary" size="sm" aria-label={props.trigger.ariaLabel}>
          {props.trigger.label}
        </Button>
      }
    >
      {(close) => <ConfirmContent {...props} onClose={close} />}
    </SettingsDialog>
  );
}

function ConfirmContent<T>({
  title,
  description,
  field,
  action,
  confirm,
  onSuccess,
  onClose,
  danger = true,
}: ConfirmActionDialogProps<T> & { onClose: () => void }) {
  const { pending, onSubmit, formError, fieldError } = useSettingsForm(action, {
    onSuccess: (data) => {
      onSuccess(data);
      onClose();
    },
  });
  return (
    <DialogContent title={title} description={description}>
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
        <input type="hidden" name={field.name} value={field.value} />
        <FormAlert message={formError ?? fieldError(field.name)} />
        <FormDialogActions pending={pending} label={confirm.label} pendingLabel={confirm.pendingLabel} danger={danger} />
      </form>
    </DialogContent>
  );
}
