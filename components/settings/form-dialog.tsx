"use client";

import { useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { SecretReveal, type SecretRevealProps } from "./secret-reveal";

// The pieces every settings dialog shares: a trigger whose content is mounted
// only while open (so what it held, such as a one-time secret, is gone once it
// closes), the Cancel/submit footer and the "shown once" secret screen.

/** `trigger` is the button (a DialogTrigger child); `children` renders the content, given a way to close. */
export function SettingsDialog({ trigger, children }: { trigger: ReactNode; children: (close: () => void) => ReactNode }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      {open ? children(() => setOpen(false)) : null}
    </Dialog>
  );
}

/** Cancel and the submit button, which says what it is doing while pending. */
export function FormDialogActions({
  pending,
  label,
  pendingLabel,
  danger = false,
}: {
  pending: boolean;
  label: string;
  pendingLabel: string;
  /** A destructive action: red, and Cancel takes focus so Enter never confirms by accident. */
  danger?: boolean;
}) {
  return (
    <DialogFooter>
      <DialogClose asChild>
        <Button type="button" variant="secondary" autoFocus={danger || undefined}>
          Cancel
        </Button>
      </DialogClose>
      <Button type="submit" variant={danger ? "danger" : "primary"} pending={pending}>
        {pending ? pendingLabel : label}
      </Button>
    </DialogFooter>
  );
}

/** The dialog's second screen after creating something with a secret shown exactly once. */
export function SecretCreatedContent({ title, description, ...secret }: { title: string; description: string } & SecretRevealProps) {
  return (
    <DialogContent
      title={title}
      description={description}
      // A stray click outside must not throw away a secret that is never shown again.
      onInteractOutside={(event) => event.preventDefault()}
    >
      <SecretReveal {...secret} />
      <DialogFooter>
        <DialogClose asChild>
          <Button type="button">Done</Button>
        </DialogClose>
      </DialogFooter>
    </DialogContent>
  );
}
