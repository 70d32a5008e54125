"use client";

import { useActionState, useState } from "react";
import { useRouter } from "next/navigation";
import { RotateCw } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { toast } from "@/components/ui/toast";
import { retryFailedSignalsAction, retrySignalAction, type RetryResult } from "@/lib/actions/deliveries";
import type { ActionResult } from "@/lib/actions/result";

// The retry buttons, shown to privacy officers and admins only; the actions
// check deliveries:retry again on the server, so hiding them is not the guard.

type State = ActionResult<RetryResult> | undefined;

/**
 * One failed signal: a form, so it works before (or without) JavaScript too.
 * `refreshOnSuccess` re-renders the page once the signal is pending again (the deletion request's page).
 */
export function RetrySignalButton({
  signalId,
  label,
  refreshOnSuccess = false,
}: {
  signalId: string;
  label: string;
  refreshOnSuccess?: boolean;
}) {
  const router = useRouter();
  const retryThenRefresh = async (previous: State, form: FormData) => {
    const result = await retrySignalAction(previous, form);
    if (result.ok) router.refresh();
    return result;
  };
  // The server action itself unless a refresh is wanted, so the form still works without JavaScript.
  const [state, dispatch, pending] = useActionState<State, FormData>(refreshOnSuccess ? retryThenRefresh : retrySignalAction, undefined);
  return (
    <form action={dispatch} className="inline-flex flex-wrap items-center gap-2">
      <input type="hidden" name="signalId" value={signalId} />
      <Button type="submit" size="sm" variant="secondary" pending={pending} aria-label={label}>
        {pending ? null : <RotateCw aria-hidden="true" />}
        {pending ? "Retrying…" : "Retry"}
      </Button>
      <span role="status" className={state && !state.ok ? "text-xs text-danger" : "text-xs text-muted"}>
        {state ? (state.ok ? "Queued again: pending under the same id." : state.error) : null}
      </span>
    </form>
  );
}

/** Every failed signal of an integration, behind a confirmation that names how many. */
export function RetryAllFailedButton({
  integrationId,
  integrationName,
  failed,
  limit,
}: {
  integrationId: string;
  integrationName: string;
  failed: number;
  limit: number;
}) {
  const [open, setOpen] = useState(false);
  const count = `${failed.toLocaleString("en-US")} failed ${failed === 1 ? "signal" : "signals"}`;
  const [state, dispatch, pending] = useActionState<State, FormData>(async (previous, form) => {
    const result = await retryFailedSignalsAction(previous, form);
    if (result.ok) {
      setOpen(false);
      const { count: done, remaining } = result.data;
      toast({
        tone: "success",
        title: done === 0 ? "Nothing to retry" : `${done.toLocaleString("en-US")} ${done === 1 ? "signal" : "signals"} sent again`,
        description:
          done === 0
            ? "No signal of this integration is failed any more."
            : `Pending again, each under its own id.${remaining > 0 ? ` ${remaining.toLocaleString("en-US")} more remain: retry again for them.` : ""}`,
      });
    }
    return result;
  }, undefined);

  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button>
          <RotateCw aria-hidden="true" />
          Retry all failed
        </Button>
      </DialogTrigger>
      {open ? (
        <DialogContent
          title={`Retry ${count} to ${integrationName}?`}
          description={
            `They go back to pending with a fresh retry schedule, each under its own id (webhook-id), so the receiver can drop any it already has.` +
            (failed > limit ? ` The oldest ${limit.toLocaleString("en-US")} go now; retry again for the rest.` : "") +
            " The retry is written to the audit log."
          }
        >
          <form action={dispatch} className="flex flex-col gap-4">
            <input type="hidden" name="integrationId" value={integrationId} />
            {state && !state.ok ? (
              <p role="alert" className="rounded-md border border-danger/30 bg-danger-subtle px-3 py-2 text-sm text-danger">
                {state.error}
              </p>
            ) : null}
            <DialogFooter>
              <DialogClose asChild>
                <Button type="button" variant="secondary">
                  Cancel
                </Button>
              </DialogClose>
              <Button type="submit" pending={pending}>
                {pending ? "Retrying…" : `Retry ${count}`}
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      ) : null}
    </Dialog>
  );
}
