"use client";

import { Button } from "@/components/ui/button";
import { DialogContent } from "@/components/ui/dialog";
import { Field } from "@/components/ui/input";
import { toast } from "@/components/ui/toast";
import { changeUserRoleAction, type ChangedUser } from "@/lib/actions/users";
import { ROLE_LABEL, type Role } from "@/lib/auth/permissions";
import { FormAlert } from "./form-alert";
import { FormDialogActions, SettingsDialog } from "./form-dialog";
import { RoleSelect } from "./role-select";
import { useSettingsForm } from "./use-settings-form";

export type UserSummary = { id: string; name: string; email: string; role: Role };

/** `self`: the signed-in admin's own row, where leaving the admin role also closes this page to them. */
export function ChangeRoleDialog({ user, self = false }: { user: UserSummary; self?: boolean }) {
  return (
    <SettingsDialog
      trigger={
        // The visible words start the accessible name, so voice control finds it by what it shows.
        <Button variant="secondary" size="sm" aria-label={`Change role of ${user.name}`}>
          Change role
        </Button>
      }
    >
      {(close) => <ChangeRoleContent user={user} self={self} onClose={close} />}
    </SettingsDialog>
  );
}

function ChangeRoleContent({ user, self, onClose }: { user: UserSummary; self: boolean; onClose: () => void }) {
  const { pending, onSubmit, fieldError, formError } = useSettingsForm(changeUserRoleAction, {
    onSuccess: (changed: ChangedUser) => {
      if (changed.changed)
        toast({ title: "Role changed", description: `${changed.email} is now ${ROLE_LABEL[changed.role]}.`, tone: "success" });
      onClose();
    },
  });
  return (
    <DialogContent
      title={`Change the role of ${user.name}`}
      description={
        self
          ? "This is you. Without the Admin role you can no longer open Settings; another admin must stay active."
          : `${user.email} is ${ROLE_LABEL[user.role]} now. A new role applies from their next page or request; the roles table below says what each may do.`
      }
    >
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
        <input type="hidden" name="userId" value={user.id} />
        <Field id={`role-${user.id}`} label="New role" error={fieldError("role")} required>
          <RoleSelect defaultValue={user.role} autoFocus />
        </Field>
        <FormAlert message={formError ?? fieldError("userId")} />
        <FormDialogActions pending={pending} label="Change role" pendingLabel="Changing role…" />
      </form>
    </DialogContent>
  );
}
