"use client";

import { useActionState, useState } from "react";
import { useRouter } from "next/navigation";
import { Check, X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { toast } from "@/components/ui/toast";
import { approveDeletionBatchAction, rejectDeletionBatchAction } from "@/lib/actions/deletion-batches";
import type { ActionResult } from "@/lib/actions/result";
import type { BatchStatus } from "@/lib/deletions/bulk-labels";

type State = ActionResult<{ id: string; status: BatchStatus }> | undefined;

function DecisionDialog({ batchId, toErase, kind }: { batchId: string; toErase: number; kind: "approve" | "reject" }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const customers = `${toErase.toLocaleString("en-US")} ${toErase === 1 ? "customer" : "customers"}`;
  const approve = kind === "approve";
  const [state, dispatch, pending] = useActionState<State, FormData>(async (previous, form) => {
    const result = await (approve ? approveDeletionBatchAction : rejectDeletionBatchAction)(previous, form);
    if (result.ok) {
      setOpen(false);
      toast({ tone: "success", title: approve ? "Approved: erasing now" : "Rejected: nothing was erased" });
      router.refresh();
    }
    return result;
  }, undefined);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant={approve ? "danger" : "secondary"}>
          {approve ? <Check aria-hidden="true" /> : <X aria-hidden="true" />}
          {approve ? "Approve" : "Reject"}
        </Button>
      </DialogTrigger>
      {open ? (
        <DialogContent
          title={approve ? `Erase ${customers}?` : "Reject this bulk deletion?"}
          description={
            approve
              ? `Each customer's identifying data is erased everywhere and every integration is told. This cannot be undone. Your approval is written to the audit log.`
              : `Nothing in it is erased and the ${customers}' deletion requests it created are withdrawn. Your decision is written to the audit log.`
          }
        >
          <form action={dispatch} className="flex flex-col gap-4">
            <input type="hidden" name="batchId" value={batchId} />
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
              <Button type="submit" variant={approve ? "danger" : "primary"} pending={pending}>
                {pending ? (approve ? "Approving…" : "Rejecting…") : approve ? `Erase ${customers}` : "Reject"}
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      ) : null}
    </Dialog>
  );
}

/** Approve and Reject, for a second privacy officer or admin; the actions check again on the server. */
export function BatchDecision({ batchId, toErase }: { batchId: string; toErase: number }) {
  return (
    <div className="flex flex-wrap gap-2">
      <DecisionDialog batchId={batchId} toErase={toErase} kind="approve" />
      <DecisionDialog batchId={batchId} toErase={toErase} kind="reject" />
    </div>
  );
}
