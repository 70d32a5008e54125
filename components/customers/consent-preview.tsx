"use client";

import { useId, type ReactNode, type RefObject } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/input";
import { consentKeyLabel, type ConsentKey, type VendorNames } from "@/lib/consent/model";
import { plural } from "@/lib/format";

export interface ConsentPreviewProps {
  draft: ReadonlyArray<[ConsentKey, boolean]>;
  names: VendorNames;
  /** What saving does; for a first change, what each choice does. */
  lines: string[];
  firstChange: boolean;
  reason: string;
  onReason: (reason: string) => void;
  onSave: () => void;
  onDiscard: () => void;
  pending: boolean;
  saveRef: RefObject<HTMLButtonElement | null>;
}

/** The bar under the tables while switches are unsaved: what will change, why, save or discard. */
export function ConsentPreview({ saveRef, ...props }: ConsentPreviewProps) {
  const reasonId = useId();
  return (
    <div
      role="region"
      aria-labelledby="consent-preview-heading"
      className="flex flex-col gap-3 rounded-lg border border-accent/40 bg-accent-subtle/40 p-4"
    >
      <h3 id="consent-preview-heading" className="text-sm font-semibold text-fg">
        Unsaved changes: {plural(props.draft.length, "switch", "switches")}
      </h3>
      {/* Polite: the effects change as switches move, and a screen reader hears what a switch would do. */}
      <ul className="flex flex-col gap-1 text-sm" aria-label="What saving will do" aria-live="polite">
        {props.draft.map(([key, value]) => (
          <li key={key}>
            Turning {value ? "on" : "off"} {consentKeyLabel(key, props.names)}
          </li>
        ))}
        {props.lines.map((line) => (
          <li key={line} className="text-fg">
            {line}
          </li>
        ))}
        {props.firstChange ? (
          <li className="text-muted">This is the first consent recorded for this customer: you will choose how to record the rest.</li>
        ) : null}
      </ul>
      <Field id={reasonId} label="Reason (optional)" hint="Kept in the consent history, e.g. “Customer asked by email”.">
        <Input value={props.reason} onChange={(e) => props.onReason(e.target.value)} maxLength={500} placeholder="Why is this changing?" />
      </Field>
      <div className="flex flex-wrap gap-2">
        <Button ref={saveRef} onClick={props.onSave} pending={props.pending}>
          Save changes
        </Button>
        <Button variant="secondary" onClick={props.onDiscard} disabled={props.pending}>
          Discard
        </Button>
      </div>
    </div>
  );
}

export interface FirstChangeDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  keepLines: string[];
  blockLines: string[];
  onKeep: () => void;
  onBlock: () => void;
  pending: boolean;
  /** Puts focus back when the dialog closes: on Save when dismissed, in the panel after a choice. */
  onClosedFocus: () => void;
}

/** Rule 4's choice for a first recording: keep what is not switched allowed, or block it. */
export function FirstChangeDialog(props: FirstChangeDialogProps) {
  return (
    <Dialog open={props.open} onOpenChange={props.onOpenChange}>
      <DialogContent
        title="Record consent for the first time"
        description={
          "Nothing is recorded for this customer yet, so everything is allowed. " +
          "Once consent is recorded, a purpose or vendor that is not set to true is blocked."
        }
        className="max-w-2xl"
        onCloseAutoFocus={(event) => {
          // The dialog was opened from Save, not from a Radix trigger, so Radix cannot know where focus belongs.
          event.preventDefault();
          props.onClosedFocus();
        }}
      >
        <div className="flex flex-col gap-4 text-sm">
          <FirstChangeChoice
            title="Record the others as allowed"
            body="Every purpose and vendor you did not switch is recorded as allowed, as it is in effect now."
            lines={props.keepLines}
            action={
              <Button onClick={props.onKeep} disabled={props.pending}>
                Record others as allowed
              </Button>
            }
          />
          <FirstChangeChoice
            title="Block everything else"
            body="The consent API's rule: purposes and vendors you did not switch are not named, so they become blocked too."
            lines={props.blockLines}
            action={
              <Button variant="danger" onClick={props.onBlock} disabled={props.pending}>
                Block the others
              </Button>
            }
          />
        </div>
      </DialogContent>
    </Dialog>
  );
}

function FirstChangeChoice({ title, body, lines, action }: { title: string; body: string; lines: string[]; action: ReactNode }) {
  return (
    <section aria-label={title} className="flex flex-col gap-2 rounded-md border border-border p-3">
      <h3 className="font-semibold">{title}</h3>
      <p className="text-muted">{body}</p>
      <ul className="list-disc pl-5">
        {lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <div>{action}</div>
    </section>
  );
}
