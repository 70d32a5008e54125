"use client";

import { useId, useRef } from "react";
import { Copy, TriangleAlert } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import { useCopy } from "@/components/ui/use-copy";

export type SecretRevealProps = {
  /** Names the field, e.g. "API key" or "Password for ana@example.com". */
  label: string;
  secret: string;
  /** Why it matters that it is copied now. */
  warning: string;
};

/**
 * A secret shown exactly once: read-only, selected on focus, with a copy
 * button. It lives only in this component's props; closing the dialog
 * unmounts it and nothing else in the page keeps it.
 */
export function SecretReveal({ label, secret, warning }: SecretRevealProps) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const { status, copy } = useCopy({
    copied: "Copied to the clipboard.",
    failed: "Could not copy automatically. The text is selected: press Ctrl+C (⌘C on a Mac).",
    // Leave it selected to copy by hand.
    onFail: () => {
      input.current?.focus();
      input.current?.select();
    },
  });

  return (
    <div className="flex flex-col gap-3">
      <p
        id={`${id}-warning`}
        className="flex items-start gap-2 rounded-md border border-warning/30 bg-warning-subtle px-3 py-2 text-sm text-warning"
      >
        <TriangleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
        <span>
          <strong className="font-semibold">Shown once.</strong> {warning}
        </span>
      </p>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor={id}>{label}</Label>
        <div className="flex gap-2">
          <Input
            ref={input}
            id={id}
            readOnly
            value={secret}
            aria-describedby={`${id}-warning`}
            spellCheck={false}
            autoComplete="off"
            className="font-mono text-xs"
            onFocus={(event) => event.currentTarget.select()}
          />
          <Button type="button" variant="secondary" onClick={() => copy(secret)}>
            <Copy aria-hidden="true" />
            Copy
          </Button>
        </div>
        <p role="status" className="min-h-4 text-xs text-muted">
          {status}
        </p>
      </div>
    </div>
  );
}
