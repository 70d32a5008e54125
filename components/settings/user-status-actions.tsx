"use client";

import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toast";
import { deactivateUserAction, reactivateUserAction } from "@/lib/actions/users";
import type { UserSummary } from "./change-role-dialog";
import { ConfirmActionDialog } from "./confirm-action-dialog";
import { useSettingsForm } from "./use-settings-form";

/** Deactivating signs a person out everywhere at once, so it asks first and names them. */
export function DeactivateUserDialog({ user }: { user: UserSummary }) {
  return (
    <ConfirmActionDialog
      trigger={{ label: "Deactivate", ariaLabel: `Deactivate ${user.name}` }}
      title={`Deactivate ${user.name}?`}
      description={`${user.email} is signed out of every session at once and cannot sign in until an admin reactivates them. Their audit history stays.`}
      field={{ name: "userId", value: user.id }}
      action={deactivateUserAction}
      confirm={{ label: "Deactivate user", pendingLabel: "Deactivating…" }}
      onSuccess={(changed) => {
        if (changed.changed)
          toast({ title: "User deactivated", description: `${changed.email} was signed out and can no longer sign in.`, tone: "success" });
      }}
    />
  );
}

/** Reactivating only gives back what the person had, so it takes one click; the result is announced. */
export function ReactivateUserButton({ user }: { user: UserSummary }) {
  const { pending, onSubmit } = useSettingsForm(reactivateUserAction, {
    onSuccess: (changed) => {
      if (changed.changed) toast({ title: "User reactivated", description: `${changed.email} can sign in again.`, tone: "success" });
    },
    onFailure: (failure) => toast({ title: `Could not reactivate ${user.name}`, description: failure.error, tone: "danger" }),
  });
  return (
    <form onSubmit={onSubmit}>
      <input type="hidden" name="userId" value={user.id} />
      <Button type="submit" variant="secondary" size="sm" pending={pending} aria-label={`Reactivate ${user.name}`}>
        Reactivate
      </Button>
    </form>
  );
}
