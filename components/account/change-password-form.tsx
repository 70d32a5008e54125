"use client";

import { useRef } from "react";
import { FormAlert } from "@/components/settings/form-alert";
import { useSettingsForm } from "@/components/settings/use-settings-form";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";
import { toast } from "@/components/ui/toast";
import { changeOwnPasswordAction } from "@/lib/actions/account";
import { plural } from "@/lib/format";
import { MIN_PASSWORD_LENGTH } from "@/lib/users/password-policy";

/** Changes the signed-in person's password; other sessions end, this one stays. */
export function ChangePasswordForm() {
  const form = useRef<HTMLFormElement>(null);
  const { pending, onSubmit, fieldError, formError } = useSettingsForm(changeOwnPasswordAction, {
    onSuccess: ({ otherSessionsEnded }) => {
      form.current?.reset();
      toast({
        tone: "success",
        title: "Password changed",
        description: otherSessionsEnded
          ? `${plural(otherSessionsEnded, "other session")} ended; this one stays signed in.`
          : "You had no other sessions to end.",
      });
    },
  });
  return (
    <form ref={form} onSubmit={onSubmit} noValidate className="flex max-w-md flex-col gap-4">
      <FormAlert message={formError} />
      <Field id="currentPassword" label="Current password" error={fieldError("currentPassword")} required>
        <Input name="currentPassword" type="password" autoComplete="current-password" required />
      </Field>
      <Field
        id="newPassword"
        label="New password"
        hint={`At least ${MIN_PASSWORD_LENGTH} characters and hard to guess: a few unrelated words work well.`}
        error={fieldError("newPassword")}
        required
      >
        <Input name="newPassword" type="password" autoComplete="new-password" required minLength={MIN_PASSWORD_LENGTH} />
      </Field>
      <Field id="confirmPassword" label="New password again" error={fieldError("confirmPassword")} required>
        <Input name="confirmPassword" type="password" autoComplete="new-password" required />
      </Field>
      <div>
        <Button type="submit" pending={pending}>
          Change password
        </Button>
      </div>
    </form>
  );
}
