"use client";

import { Pencil, Plus } from "lucide-react";
import { Button } from "@/components/ui/button";
import { DialogContent } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/input";
import { toast } from "@/components/ui/toast";
import { createIntegrationAction, updateIntegrationAction, type CreatedIntegration } from "@/lib/actions/integrations";
import type { ActionResult, FormAction } from "@/lib/actions/result";
import type { IntegrationChange, IntegrationView } from "@/lib/integrations/manage";
import { PURPOSE_INFO, PURPOSES } from "@/lib/consent/purposes";
import { FormAlert } from "./form-alert";
import { FormDialogActions, SecretCreatedContent, SettingsDialog } from "./form-dialog";
import { useSettingsForm } from "./use-settings-form";

// Add and Edit share their fields. The dialogs send the actions an object:
// the purposes are several checkboxes of one name, which a form's entries
// would flatten to the last one.

const SECRET_WARNING =
  "Copy it now into the receiver's configuration: it verifies every request with it. It is not shown again; if it is lost, rotate the secret.";

function fieldsOf(form: FormData) {
  return {
    name: String(form.get("name") ?? ""),
    endpoint_url: String(form.get("endpoint_url") ?? ""),
    purposes: form.getAll("purposes").map(String),
  };
}

const createFromForm: FormAction<CreatedIntegration> = (_previous, form) =>
  createIntegrationAction({ ...fieldsOf(form), vendor: String(form.get("vendor") ?? ""), enabled: form.get("enabled") === "on" });

/** The first field error under `prefix` (`purposes`, `purposes[2]`). */
function errorUnder(state: ActionResult<unknown> | undefined, prefix: string): string | undefined {
  if (!state || state.ok) return undefined;
  return Object.entries(state.fieldErrors ?? {}).find(([key]) => key === prefix || key.startsWith(`${prefix}[`))?.[1];
}

function PurposeFields({ idPrefix, selected, error }: { idPrefix: string; selected: readonly string[]; error?: string }) {
  const hintId = `${idPrefix}-purposes-hint`;
  const errorId = `${idPrefix}-purposes-error`;
  return (
    <fieldset className="flex flex-col gap-2" aria-describedby={error ? `${hintId} ${errorId}` : hintId}>
      <legend className="mb-1 text-sm font-medium text-fg">Purposes it uses</legend>
      <p id={hintId} className="-mt-1 text-xs text-muted">
        Data syncs to it only while the customer allows its vendor and each of these; a change to any of them is signalled.
      </p>
      <div className="grid gap-2 sm:grid-cols-2">
        {PURPOSES.map((purpose) => (
          <label key={purpose} className="flex items-start gap-2 text-sm text-fg">
            <input
              type="checkbox"
              name="purposes"
              value={purpose}
              defaultChecked={selected.includes(purpose)}
              className="mt-0.5 size-4 accent-accent"
            />
            <span>
              {PURPOSE_INFO[purpose].label}
              <span className="block text-xs text-muted">{PURPOSE_INFO[purpose].controls}</span>
            </span>
          </label>
        ))}
      </div>
      {error ? (
        <p id={errorId} className="text-xs font-medium text-danger">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

function NameAndEndpointFields({
  idPrefix,
  fieldError,
  initial,
}: {
  idPrefix: string;
  fieldError: (name: string) => string | undefined;
  initial?: { name: string; endpointUrl: string };
}) {
  return (
    <>
      <Field id={`${idPrefix}-name`} label="Name" hint="As people will read it, e.g. “Braze”." error={fieldError("name")} required>
        <Input name="name" autoComplete="off" maxLength={120} required defaultValue={initial?.name} autoFocus />
      </Field>
      <Field
        id={`${idPrefix}-endpoint`}
        label="Endpoint URL"
        hint="Where signed signals are POSTed: https://, on a host that resolves to public addresses only."
        error={fieldError("endpoint_url")}
        required
      >
        <Input
          name="endpoint_url"
          type="url"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          maxLength={2048}
          placeholder="https://hooks.example.com/consent"
          required
          defaultValue={initial?.endpointUrl}
          className="font-mono text-xs"
        />
      </Field>
    </>
  );
}

export function AddIntegrationDialog() {
  return (
    <SettingsDialog
      trigger={
        <Button>
          <Plus aria-hidden="true" />
          Add integration
        </Button>
      }
    >
      {/* Mounted only while open: the secret is in this component's state and nowhere else. */}
      {() => <AddIntegrationContent />}
    </SettingsDialog>
  );
}

function AddIntegrationContent() {
  const { state, pending, onSubmit, fieldError, formError } = useSettingsForm(createFromForm);

  if (state?.ok) {
    const { integration, signingSecret } = state.data;
    const from = integration.enabled ? "is told of consent changes from now on" : "is paused until you resume it";
    return (
      <SecretCreatedContent
        title="Integration added"
        description={`${integration.name} (${integration.vendor}) ${from}. Every request is signed with this secret (Standard Webhooks).`}
        label={`Signing secret for ${integration.name}`}
        secret={signingSecret}
        warning={SECRET_WARNING}
      />
    );
  }

  return (
    <DialogContent
      title="Add integration"
      description="A tool that must hear about consent changes and deletions. Consent Desk POSTs each signal to its endpoint, signed with a secret shown once."
    >
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
        <NameAndEndpointFields idPrefix="new-integration" fieldError={fieldError} />
        <Field
          id="new-integration-vendor"
          label="Vendor slug"
          hint="Its key under consent.vendors, e.g. braze: lower-case letters, digits, - and _. It cannot change later."
          error={fieldError("vendor")}
          required
        >
          <Input name="vendor" autoComplete="off" spellCheck={false} maxLength={40} required className="font-mono text-xs" />
        </Field>
        <PurposeFields idPrefix="new-integration" selected={[]} error={errorUnder(state, "purposes")} />
        <label className="flex items-start gap-2 text-sm text-fg">
          <input type="checkbox" name="enabled" defaultChecked className="mt-0.5 size-4 accent-accent" />
          <span>
            Send signals from now on
            <span className="block text-xs text-muted">Leave unchecked to add it paused.</span>
          </span>
        </label>
        <FormAlert message={formError} />
        <FormDialogActions pending={pending} label="Add integration" pendingLabel="Checking the endpoint…" />
      </form>
    </DialogContent>
  );
}

export function EditIntegrationDialog({ integration }: { integration: IntegrationView }) {
  return (
    <SettingsDialog
      trigger={
        <Button variant="secondary" size="sm" aria-label={`Edit ${integration.name}`}>
          <Pencil aria-hidden="true" />
          Edit
        </Button>
      }
    >
      {(close) => <EditIntegrationContent integration={integration} onClose={close} />}
    </SettingsDialog>
  );
}

function EditIntegrationContent({ integration, onClose }: { integration: IntegrationView; onClose: () => void }) {
  const update: FormAction<IntegrationChange> = (_previous, form) => updateIntegrationAction({ id: integration.id, ...fieldsOf(form) });
  const { state, pending, onSubmit, fieldError, formError } = useSettingsForm(update, {
    onSuccess: ({ integration: saved, changed }) => {
      toast(
        changed ? { title: "Integration saved", description: `${saved.name} was updated.`, tone: "success" } : { title: "Nothing changed" },
      );
      onClose();
    },
  });
  const idPrefix = `edit-integration-${integration.id}`;
  return (
    <DialogContent
      title={`Edit ${integration.name}`}
      description={`Vendor ${integration.vendor} stays: it keys consent.vendors and the consent history. A new endpoint is checked before it is saved.`}
    >
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
        <NameAndEndpointFields idPrefix={idPrefix} fieldError={fieldError} initial={integration} />
        <PurposeFields idPrefix={idPrefix} selected={integration.purposes} error={errorUnder(state, "purposes")} />
        <FormAlert message={formError} />
        <FormDialogActions pending={pending} label="Save changes" pendingLabel="Saving…" />
      </form>
    </DialogContent>
  );
}
