"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { toast } from "@/components/ui/toast";
import { deactivateUserAction, reactivateUserAction } from "@/lib/actions/users";
import type { UserSummary } from "./change-role-dialog";
import { FormAlert } from "./form-alert";
import { useSettingsForm } from "./use-settings-form";

/** Deactivating signs a person out everywhere at once, so it asks first and names them. */
export function DeactivateUserDialog({ user }: { user: UserSummary }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="secondary" size="sm" aria-label={`Deactivate ${user.name}`}>
          Deactivate
        </Button>
      </DialogTrigger>
      {open ? <DeactivateContent user={user} onClose={() => setOpen(false)} /> : null}
    </Dialog>
  );
}

function DeactivateContent({ user, onClose }: { user: UserSummary; onClose: () => void }) {
  const { pending, onSubmit, formError, fieldError } = useSettingsForm(deactivateUserAction, {
    onSuccess: (changed) => {
      if (changed.changed) toast({ title: "User deactivated", description: `${changed.email} was signed out and can no longer sign in.`, tone: "success" });
      onClose();
    },
  });
  return (
    <DialogContent
      title={`Deactivate ${user.name}?`}
      description={`${user.email} is signed out of every session at once and cannot sign in until an admin reactivates them. Their audit history stays.`}
    >
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
        <input type="hidden" name="userId" value={user.id} />
        <FormAlert message={formError ?? fieldError("userId")} />
        <DialogFooter>
          <DialogClose asChild>
            <Button type="button" variant="secondary" autoFocus>
              Cancel
            </Button>
          </DialogClose>
          <Button type="submit" variant="danger" pending={pending}>
            {pending ? "Deactivating…" : "Deactivate user"}
          </Button>
        </DialogFooter>
      </form>
    </DialogContent>
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
