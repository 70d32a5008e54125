// A deletion request's status, from its erasure and its delete signals. The
// database keeps it up to date as the signals move (trigger
// deletion_request_progress, migration 20261204000000); a test checks that
// trigger against this rule on every combination.

export const DELETION_STATUSES = ["received", "erased", "notifying", "completed", "failed"] as const;
export type DeletionStatus = (typeof DELETION_STATUSES)[number];

export const DELETION_STATUS_LABEL: Record<DeletionStatus, string> = {
  received: "Received",
  erased: "Erased, integrations not yet told",
  notifying: "Notifying integrations",
  completed: "Completed",
  failed: "Delivery failed",
};

export interface SignalCounts {
  /** Delete signals queued, one per integration. */
  total: number;
  delivered: number;
  failed: number;
  /** Signals tried at least once (claimed, retrying, delivered or failed). */
  attempted: number;
}

export function deletionStatus(erased: boolean, signals: SignalCounts): DeletionStatus {
  if (!erased) return "received";
  if (signals.delivered === signals.total) return "completed";
  if (signals.failed > 0) return "failed";
  if (signals.attempted > 0) return "notifying";
  return "erased";
}

/** Whether the deadline still matters: a completed request is done, whatever its signals. */
export function isOpen(status: DeletionStatus): boolean {
  return status !== "completed";
}
