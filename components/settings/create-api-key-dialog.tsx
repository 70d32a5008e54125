"use client";

import { useState } from "react";
import { KeyRound } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/input";
import { createApiKeyAction } from "@/lib/actions/api-keys";
import { ROLE_LABEL } from "@/lib/auth/permissions";
import { FormAlert } from "./form-alert";
import { RoleSelect } from "./role-select";
import { SecretReveal } from "./secret-reveal";
import { useSettingsForm } from "./use-settings-form";

export function CreateApiKeyDialog() {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button>
          <KeyRound aria-hidden="true" />
          Create key
        </Button>
      </DialogTrigger>
      {/* Mounted only while open: the key is in this component's state and nowhere else. */}
      {open ? <CreateApiKeyContent /> : null}
    </Dialog>
  );
}

function CreateApiKeyContent() {
  const { state, pending, onSubmit, fieldError, formError } = useSettingsForm(createApiKeyAction);

  if (state?.ok) {
    const created = state.data;
    return (
      <DialogContent
        title="API key created"
        description={`"${created.name}" acts as ${ROLE_LABEL[created.role]}. Send it as Authorization: Bearer <key>.`}
        // A stray click outside must not throw away a key that is never shown again.
        onInteractOutside={(event) => event.preventDefault()}
      >
        <SecretReveal
          label="API key"
          secret={created.key}
          warning="Copy it now into the client's secret store. Only a hash is kept, so it cannot be shown again; if it is lost, revoke it and create another."
        />
        <DialogFooter>
          <DialogClose asChild>
            <Button type="button">Done</Button>
          </DialogClose>
        </DialogFooter>
      </DialogContent>
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
        <DialogFooter>
          <DialogClose asChild>
            <Button type="button" variant="secondary">
              Cancel
            </Button>
          </DialogClose>
          <Button type="submit" pending={pending}>
            {pending ? "Creating key…" : "Create key"}
          </Button>
        </DialogFooter>
      </form>
    </DialogContent>
  );
}
