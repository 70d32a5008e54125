"use client";

import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toast";
import { deactivateUserAction, endUserSessionsAction, reactivateUserAction } from "@/lib/actions/users";
import { plural } from "@/lib/format";
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

/** Signs a person out everywhere (a lost laptop) without taking their access away. */
export function EndUserSessionsDialog({ user }: { user: UserSummary }) {
  return (
    <ConfirmActionDialog
      trigger={{ label: "Sign out everywhere", ariaLabel: `Sign ${user.name} out everywhere` }}
      title={`Sign ${user.name} out everywhere?`}
      description={`Every session ${user.email} has ends at once, on every device. They can sign in again with their password.`}
      field={{ name: "userId", value: user.id }}
      action={endUserSessionsAction}
      confirm={{ label: "End their sessions", pendingLabel: "Ending…" }}
      onSuccess={(ended) =>
        toast({ title: "Sessions ended", description: `${ended.email}: ${plural(ended.ended, "session")} ended.`, tone: "success" })
      }
    />
  );
}
