"use client";

import { useActionState, useState } from "react";
import { CalendarPlus } from "lucide-react";
import { Button } from "@/components/ui/button";
import { controlClassName, Field } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { toast } from "@/components/ui/toast";
import { cn } from "@/components/ui/cn";
import { extendDeletionAction, type ExtendResult } from "@/lib/actions/deletion-requests";
import type { ActionResult } from "@/lib/actions/result";
import { dueAt, type Regime } from "@/lib/deletions/deadlines";
import { formatDate } from "@/lib/format";
import { MAX_EXTENSION_REASON } from "@/lib/validations/deletion-requests";
import { FREE_TEXT_HINT } from "@/lib/deletions/free-text";

// The deadline extension, for privacy officers and admins only; the action
// checks customers:delete again on the server, so hiding it is not the guard.

type State = ActionResult<ExtendResult> | undefined;

const words = (n: number, unit: "months" | "days") => `${n} ${n === 1 ? unit.slice(0, -1) : unit}`;

export function ExtensionForm({
  requestId,
  regime,
  receivedAt,
  timeZone,
  current,
  max,
  unit,
}: {
  requestId: string;
  regime: Regime;
  /** ISO. */
  receivedAt: string;
  /** The business's time zone, where deadlines end. */
  timeZone: string;
  current: number;
  max: number;
  unit: "months" | "days";
}) {
  const choices = Array.from({ length: max - current }, (_, i) => current + 1 + i);
  const [extension, setExtension] = useState(choices[0] ?? current);
  const [state, dispatch, pending] = useActionState<State, FormData>(async (previous, form) => {
    const result = await extendDeletionAction(previous, form);
    if (result.ok) {
      toast({ tone: "success", title: "Deadline extended", description: `Now due ${formatDate(new Date(result.data.dueAt), timeZone)}.` });
    }
    return result;
  }, undefined);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  // A value the select never offers (an edited page) shows no date rather than breaking the form; the server refuses it.
  let due: Date | null = null;
  try {
    due = dueAt({ regime, receivedAt: new Date(receivedAt), extension, timeZone });
  } catch {
    due = null;
  }

  return (
    <form action={dispatch} className="flex max-w-xl flex-col gap-4" aria-labelledby="extension-heading">
      <input type="hidden" name="requestId" value={requestId} />
      <Field
        id="extension"
        label="Extend to a total of"
        hint={`Counted from receipt, beyond the first deadline. ${regime === "gdpr" ? "GDPR" : "CCPA"} allows ${words(max, unit)} at most.`}
        error={errors.extension}
      >
        <Select name="extension" value={String(extension)} onChange={(e) => setExtension(Number(e.target.value))}>
          {choices.map((n) => (
            <option key={n} value={n}>
              {words(n, unit)}
            </option>
          ))}
        </Select>
      </Field>
      <p className="text-sm text-fg" aria-live="polite">
        {due ? (
          <>
            New due date: <strong>{formatDate(due, timeZone)}</strong> (end of that day, {timeZone})
          </>
        ) : (
          "Choose an extension from the list."
        )}
      </p>
      <Field
        id="extension-reason"
        label="Reason"
        required
        hint={`Kept on the request and shown to its reviewers; not on the receipt. ${FREE_TEXT_HINT}`}
        error={errors.reason}
      >
        <textarea
          name="reason"
          required
          rows={3}
          maxLength={MAX_EXTENSION_REASON}
          className={cn(controlClassName, "h-auto min-h-20 py-2")}
        />
      </Field>
      {state && !state.ok && Object.keys(errors).length === 0 ? (
        <p role="alert" className="rounded-md border border-danger/30 bg-danger-subtle px-3 py-2 text-sm text-danger">
          {state.error}
        </p>
      ) : null}
      {state?.ok ? (
        <p role="status" className="text-sm text-success">
          Extended: now due {formatDate(new Date(state.data.dueAt), timeZone)}.
        </p>
      ) : null}
      <div>
        <Button type="submit" pending={pending}>
          {pending ? null : <CalendarPlus aria-hidden="true" />}
          {pending ? "Extending…" : "Extend deadline"}
        </Button>
      </div>
    </form>
  );
}
