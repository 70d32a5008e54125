"use client";

import { useState } from "react";
import { UserPlus } from "lucide-react";
import { Button } from "@/components/ui/button";
import { DialogContent } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/input";
import { toast } from "@/components/ui/toast";
import { createUserAction, type CreatedUser } from "@/lib/actions/users";
import { ROLE_LABEL } from "@/lib/auth/permissions";
import { MIN_PASSWORD_LENGTH } from "@/lib/users/password-policy";
import { FormAlert } from "./form-alert";
import { RoleSelect } from "./role-select";
import { FormDialogActions, SecretCreatedContent, SettingsDialog } from "./form-dialog";
import { useSettingsForm } from "./use-settings-form";

export function AddUserDialog() {
  return (
    <SettingsDialog
      trigger={
        <Button>
          <UserPlus aria-hidden="true" />
          Add user
        </Button>
      }
    >
      {(close) => <AddUserContent onClose={close} />}
    </SettingsDialog>
  );
}

function AddUserContent({ onClose }: { onClose: () => void }) {
  const [mode, setMode] = useState<"generate" | "set">("generate");
  const { state, pending, onSubmit, fieldError, formError } = useSettingsForm(createUserAction, {
    onSuccess: (user: CreatedUser) => {
      // A generated password stays on screen to be copied; otherwise there is nothing more to show.
      if (user.generatedPassword) return;
      toast({ title: "User added", description: `${user.email} can sign in as ${ROLE_LABEL[user.role]}.`, tone: "success" });
      onClose();
    },
  });

  const created = state?.ok ? state.data : undefined;
  if (created?.generatedPassword) {
    return (
      <SecretCreatedContent
        title="User added"
        description={`${created.name} (${created.email}) can sign in as ${ROLE_LABEL[created.role]} with this password.`}
        label={`Password for ${created.email}`}
        secret={created.generatedPassword}
        warning="Copy it now and give it to them over a secure channel. It is not stored anywhere it could be shown again."
      />
    );
  }

  return (
    <DialogContent
      title="Add user"
      description="They sign in with this email and the initial password. Their role decides what they may do."
    >
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
        <Field id="new-user-name" label="Name" error={fieldError("name")} required>
          <Input name="name" autoComplete="off" maxLength={120} required autoFocus />
        </Field>
        <Field id="new-user-email" label="Email" error={fieldError("email")} required>
          <Input name="email" type="email" autoComplete="off" maxLength={254} required />
        </Field>
        <Field id="new-user-role" label="Role" error={fieldError("role")} required>
          <RoleSelect />
        </Field>
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-1 text-sm font-medium text-fg">Initial password</legend>
          {(
            [
              ["generate", "Generate a strong password", "Shown once, after the user is added, to copy."],
              ["set", "Set a password", `At least ${MIN_PASSWORD_LENGTH} characters.`],
            ] as const
          ).map(([value, label, hint]) => (
            <label key={value} className="flex items-start gap-2 text-sm text-fg">
              <input
                type="radio"
                name="passwordMode"
                value={value}
                checked={mode === value}
                onChange={() => setMode(value)}
                className="mt-0.5 size-4 accent-accent"
              />
              <span>
                {label}
                <span className="block text-xs text-muted">{hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
        {mode === "set" ? (
          <Field
            id="new-user-password"
            label="Password"
            hint={`At least ${MIN_PASSWORD_LENGTH} characters. Share it with them over a secure channel.`}
            error={fieldError("password")}
            required
          >
            <Input name="password" type="password" autoComplete="new-password" minLength={MIN_PASSWORD_LENGTH} maxLength={256} required />
          </Field>
        ) : null}
        <FormAlert message={formError} />
        <FormDialogActions pending={pending} label="Add user" pendingLabel="Adding user…" />
      </form>
    </DialogContent>
  );
}
