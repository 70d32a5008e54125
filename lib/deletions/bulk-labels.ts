// A bulk deletion's statuses and row outcomes, in words (the pages, the
// result CSV's readers). Pure: client components use it too.

export const BATCH_STATUSES = ["awaiting_approval", "queued", "processing", "done", "rejected"] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];
export const ROW_OUTCOMES = ["erased", "already_erased", "not_found", "invalid"] as const;
export type RowOutcome = (typeof ROW_OUTCOMES)[number];

export const BATCH_STATUS_LABEL: Record<BatchStatus, string> = {
  awaiting_approval: "Waiting for approval",
  queued: "Queued",
  processing: "Processing",
  done: "Done",
  rejected: "Rejected",
};

/** A row as it ends up: its outcome, or still pending, or never to be processed because its batch was rejected. */
export type RowState = RowOutcome | "pending" | "rejected";

export function rowState(outcome: RowOutcome | null, batchStatus: BatchStatus): RowState {
  return outcome ?? (batchStatus === "rejected" ? "rejected" : "pending");
}

export const ROW_OUTCOME_LABEL: Record<RowState, string> = {
  erased: "Erased",
  already_erased: "Already erased",
  not_found: "Not found",
  invalid: "Invalid",
  pending: "Not processed yet",
  rejected: "Not erased: batch rejected",
};

/** Whether the batch may still change by itself (the page polls while it does). */
export const isBatchActive = (status: BatchStatus) => status === "queued" || status === "processing";

/** More customers to erase than this, and the batch waits for a second privacy officer or admin. */
export const APPROVAL_THRESHOLD = 100;
