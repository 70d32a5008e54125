"use client";

import { useActionState } from "react";
import { useRouter } from "next/navigation";
import { RotateCw } from "lucide-react";
import { Button } from "@/components/ui/button";
import { retrySignalAction, type RetryResult } from "@/lib/actions/deliveries";
import type { ActionResult } from "@/lib/actions/result";

// The delivery log's retry (lib/actions/deliveries.ts), on the request page:
// it refreshes this page once the signal is pending again.

type State = ActionResult<RetryResult> | undefined;

export function RetryDeleteSignalButton({ signalId, integrationName }: { signalId: string; integrationName: string }) {
  const router = useRouter();
  const [state, dispatch, pending] = useActionState<State, FormData>(async (previous, form) => {
    const result = await retrySignalAction(previous, form);
    if (result.ok) router.refresh();
    return result;
  }, undefined);
  return (
    <form action={dispatch} className="inline-flex flex-wrap items-center gap-2">
      <input type="hidden" name="signalId" value={signalId} />
      <Button type="submit" size="sm" variant="secondary" pending={pending} aria-label={`Retry the delete signal to ${integrationName}`}>
        {pending ? null : <RotateCw aria-hidden="true" />}
        {pending ? "Retrying…" : "Retry"}
      </Button>
      <span role="status" className={state && !state.ok ? "text-xs text-danger" : "text-xs text-muted"}>
        {state ? (state.ok ? "Queued again: pending under the same id." : state.error) : null}
      </span>
    </form>
  );
}
