"use client";

import { KeyRound } from "lucide-react";
import { Button } from "@/components/ui/button";
import { DialogContent } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/input";
import { createApiKeyAction } from "@/lib/actions/api-keys";
import { ROLE_LABEL } from "@/lib/auth/permissions";
import { FormAlert } from "./form-alert";
import { RoleSelect } from "./role-select";
import { FormDialogActions, SecretCreatedContent, SettingsDialog } from "./form-dialog";
import { useSettingsForm } from "./use-settings-form";

export function CreateApiKeyDialog() {
  return (
    <SettingsDialog
      trigger={
        <Button>
          <KeyRound aria-hidden="true" />
          Create key
        </Button>
      }
    >
      {/* Mounted only while open: the key is in this component's state and nowhere else. */}
      {() => <CreateApiKeyContent />}
    </SettingsDialog>
  );
}

function CreateApiKeyContent() {
  const { state, pending, onSubmit, fieldError, formError } = useSettingsForm(createApiKeyAction);

  if (state?.ok) {
    const created = state.data;
    return (
      <SecretCreatedContent
        title="API key created"
        description={`"${created.name}" acts as ${ROLE_LABEL[created.role]}. Send it as Authorization: Bearer <key>.`}
        label="API key"
        secret={created.key}
        warning="Copy it now into the client's secret store. Only a hash is kept, so it cannot be shown again; if it is lost, revoke it and create another."
      />
    );
  }

  return (
    <DialogContent
      title="Create API key"
      description="An API key lets a client call the API with the permissions of one role. Give each client its own key, so one can be revoked alone."
    >
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
        <Field id="new-key-name" label="Name" hint="The client that will use it, e.g. “CRM sync”." error={fieldError("name")} required>
          <Input name="name" autoComplete="off" maxLength={120} required autoFocus />
        </Field>
        <Field id="new-key-role" label="Role" hint="The key may do what this role may do." error={fieldError("role")} required>
          <RoleSelect />
        </Field>
        <FormAlert message={formError} />
        <FormDialogActions pending={pending} label="Create key" pendingLabel="Creating key…" />
      </form>
    </DialogContent>
  );
}
