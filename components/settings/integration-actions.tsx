"use client";

import { useId } from "react";
import { CircleCheck, CircleX, KeyRound, Send } from "lucide-react";
import { Button } from "@/components/ui/button";
import { DialogClose, DialogContent, DialogFooter } from "@/components/ui/dialog";
import { Field } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { toast } from "@/components/ui/toast";
import {
  pauseIntegrationAction,
  resumeIntegrationAction,
  rotateSigningSecretAction,
  sendTestSignalAction,
  type RotatedSecret,
} from "@/lib/actions/integrations";
import type { FormAction } from "@/lib/actions/result";
import { formatDateTime } from "@/lib/format";
import type { IntegrationView } from "@/lib/integrations/manage";
import { ConfirmActionDialog } from "./confirm-action-dialog";
import { FormAlert } from "./form-alert";
import { describeTestResult } from "./integration-copy";
import { FormDialogActions, SecretCreatedContent, SettingsDialog } from "./form-dialog";
import { useSettingsForm } from "./use-settings-form";

type Subject = Pick<IntegrationView, "id" | "name" | "vendor" | "endpointUrl" | "status">;

/** Pausing stops what is sent to a tool, so it asks first; resuming asks too, since queued signals then go out at once. */
export function PauseResumeDialog({ integration }: { integration: Subject }) {
  const { id, name } = integration;
  if (integration.status === "connected") {
    return (
      <ConfirmActionDialog
        trigger={{ label: "Pause", ariaLabel: `Pause ${name}` }}
        title={`Pause ${name}?`}
        description={`Nothing is sent to ${name} while it is paused: its signals, those already queued and those of consent changes made meanwhile, wait and are sent, in order, once it is resumed.`}
        field={{ name: "id", value: id }}
        action={pauseIntegrationAction}
        confirm={{ label: "Pause integration", pendingLabel: "Pausing…" }}
        onSuccess={({ changed }) => {
          if (changed) toast({ title: "Integration paused", description: `${name} is sent nothing until it is resumed.`, tone: "success" });
        }}
      />
    );
  }
  return (
    <ConfirmActionDialog
      trigger={{ label: "Resume", ariaLabel: `Resume ${name}` }}
      title={`Resume ${name}?`}
      description={
        integration.status === "disabled"
          ? `${name} was disabled because its endpoint answered 410 Gone. Resume only once the receiver is back: its queued signals are sent again at once.`
          : `Signals queued for ${name} are sent at once, and consent changes are signalled to it again.`
      }
      field={{ name: "id", value: id }}
      action={resumeIntegrationAction}
      confirm={{ label: "Resume integration", pendingLabel: "Resuming…" }}
      danger={false}
      onSuccess={({ changed }) => {
        if (changed) toast({ title: "Integration resumed", description: `${name} is told of consent changes again.`, tone: "success" });
      }}
    />
  );
}

/** How long the old secret may keep signing; the API takes any whole hours from 0 to 168. */
const OVERLAP_CHOICES = [
  { hours: 0, label: "No overlap: the old secret stops at once" },
  { hours: 1, label: "1 hour" },
  { hours: 24, label: "24 hours (recommended)" },
  { hours: 72, label: "3 days" },
  { hours: 168, label: "7 days" },
] as const;

export function RotateSecretDialog({ integration }: { integration: Subject }) {
  return (
    <SettingsDialog
      trigger={
        <Button variant="secondary" size="sm" aria-label={`Rotate secret of ${integration.name}`}>
          <KeyRound aria-hidden="true" />
          Rotate secret
        </Button>
      }
    >
      {() => <RotateSecretContent integration={integration} />}
    </SettingsDialog>
  );
}

function RotateSecretContent({ integration }: { integration: Subject }) {
  const rotate: FormAction<RotatedSecret> = (_previous, form) =>
    rotateSigningSecretAction({ id: integration.id, overlap_hours: Number(form.get("overlap_hours")) });
  const { state, pending, onSubmit, fieldError, formError } = useSettingsForm(rotate);

  if (state?.ok) {
    const until = state.data.previousSecretValidUntil;
    return (
      <SecretCreatedContent
        title="Signing secret rotated"
        description={
          until
            ? `Until ${formatDateTime(until)}, every request to ${integration.name} carries two signatures, by the new secret and the old one: switch the receiver to the new secret before then.`
            : `The old secret stopped signing at once: requests to ${integration.name} carry only the new signature.`
        }
        label={`New signing secret for ${integration.name}`}
        secret={state.data.signingSecret}
        warning="Copy it now into the receiver's configuration. It is not shown again; if it is lost, rotate again."
      />
    );
  }

  return (
    <DialogContent
      title={`Rotate the signing secret of ${integration.name}?`}
      description="A new secret signs every request from now on. The old one can keep signing beside it for a while, so the receiver can switch without refusing a signal."
    >
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
        <Field
          id={`rotate-${integration.id}-overlap`}
          label="Keep the old secret signing for"
          hint="During the overlap each request carries both signatures; a receiver checking either accepts it."
          error={fieldError("overlap_hours")}
        >
          <Select name="overlap_hours" defaultValue="24">
            {OVERLAP_CHOICES.map((c) => (
              <option key={c.hours} value={c.hours}>
                {c.label}
              </option>
            ))}
          </Select>
        </Field>
        <FormAlert message={formError} />
        <FormDialogActions pending={pending} label="Rotate secret" pendingLabel="Rotating…" />
      </form>
    </DialogContent>
  );
}

export function TestSignalDialog({ integration }: { integration: Subject }) {
  return (
    <SettingsDialog
      trigger={
        <Button variant="secondary" size="sm" aria-label={`Send test signal to ${integration.name}`}>
          <Send aria-hidden="true" />
          Send test signal
        </Button>
      }
    >
      {() => <TestSignalContent integration={integration} />}
    </SettingsDialog>
  );
}

function TestSignalContent({ integration }: { integration: Subject }) {
  const id = useId();
  const { state, pending, onSubmit, formError, fieldError } = useSettingsForm(sendTestSignalAction);
  const answer = state?.ok ? describeTestResult(state.data) : null;
  const Icon = state?.ok && state.data.delivered ? CircleCheck : CircleX;

  return (
    <DialogContent
      title={`Send a test signal to ${integration.name}`}
      description="Sends one signed integration.test request now, as every signal is sent, and shows the answer. It carries no customer data."
    >
      <p className="text-xs break-all text-muted">
        Endpoint: <span className="font-mono">{integration.endpointUrl}</span>
      </p>
      {/* Announced when the answer arrives; kept in the page, empty, so it is already registered. */}
      <div role="status" aria-live="polite" id={`${id}-answer`}>
        {answer && state?.ok ? (
          <div
            className={
              state.data.delivered
                ? "flex items-start gap-2 rounded-md border border-success/30 bg-success-subtle px-3 py-2 text-sm text-success"
                : "flex items-start gap-2 rounded-md border border-danger/30 bg-danger-subtle px-3 py-2 text-sm text-danger"
            }
          >
            <Icon aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
            <div className="flex flex-col gap-0.5">
              <p className="font-medium">{answer.headline}</p>
              {answer.details.map((line) => (
                <p key={line} className="break-all">
                  {line}
                </p>
              ))}
            </div>
          </div>
        ) : null}
      </div>
      <form onSubmit={onSubmit} className="flex flex-col gap-4">
        <input type="hidden" name="id" value={integration.id} />
        <FormAlert message={formError ?? fieldError("id")} />
        {state?.ok ? (
          <DialogFooter>
            <Button type="submit" variant="secondary" pending={pending}>
              {pending ? "Sending…" : "Send again"}
            </Button>
            <DialogClose asChild>
              <Button type="button">Done</Button>
            </DialogClose>
          </DialogFooter>
        ) : (
          <FormDialogActions pending={pending} label="Send test signal" pendingLabel="Sending…" />
        )}
      </form>
    </DialogContent>
  );
}
