import { APPROVAL_THRESHOLD, type BatchStatus } from "./bulk-labels.ts";

// Four eyes on bulk deletion, in one place. Pure: client components use the
// wording too.
//
// - The count: customers one person (or, for a key made from the command
//   line, one key) asks to erase through bulk uploads, over a rolling 24
//   hours. An upload that takes it past APPROVAL_THRESHOLD waits for a second
//   person, so splitting a file does not avoid approval.
// - The decision (approve or reject) is a signed-in person's act, never an
//   API key's, and never the uploader's: not the person who uploaded, nor the
//   person who created the key that uploaded.

export const APPROVAL_WINDOW_HOURS = 24;

/** Whether an upload of `toErase` customers, after `recentToErase` in the window before it, waits for a second person. */
export function needsApproval(toErase: number, recentToErase: number): boolean {
  return toErase > 0 && toErase + recentToErase > APPROVAL_THRESHOLD;
}

/** The batch status an upload starts in. */
export function initialBatchStatus(toErase: number, recentToErase: number): BatchStatus {
  if (toErase === 0) return "done";
  return needsApproval(toErase, recentToErase) ? "awaiting_approval" : "queued";
}

const customers = (n: number) => `${n.toLocaleString("en-US")} ${n === 1 ? "customer" : "customers"}`;

/** Why a batch waits for approval, in a sentence. */
export function approvalReason(batch: { toErase: number; recentToErase: number }): string {
  const rule = `more than ${APPROVAL_THRESHOLD} customers within ${APPROVAL_WINDOW_HOURS} hours by one person needs a second privacy officer or admin`;
  if (batch.recentToErase === 0) return `This file would erase ${customers(batch.toErase)}: ${rule}.`;
  return (
    `This file would erase ${customers(batch.toErase)}, after ${customers(batch.recentToErase)} asked for by the same ` +
    `uploader in the ${APPROVAL_WINDOW_HOURS} hours before it: ${rule}.`
  );
}

export interface BatchUploader {
  status: BatchStatus;
  /** The user's or API key's id. */
  createdById: string | null;
  createdByType: "user" | "api_key";
  /** The user, or the key's creator; null for a key made from the command line. */
  uploadedByPersonId: string | null;
}

export type ApprovalRefusal = { status: 403 | 409; code: "person_required" | "not_waiting" | "own_upload"; message: string };

/** Why `actor` may not approve or reject `batch`, or null when they may. */
export function approvalRefusal(batch: BatchUploader, actor: { kind: "user" | "api_key"; id: string }): ApprovalRefusal | null {
  if (actor.kind !== "user")
    return {
      status: 403,
      code: "person_required",
      message: "Approving or rejecting a bulk deletion is a signed-in person's act: an API key cannot do it. Sign in to the dashboard.",
    };
  if (batch.status !== "awaiting_approval") return { status: 409, code: "not_waiting", message: "This batch is not waiting for approval." };
  if (actor.id === batch.createdById || actor.id === batch.uploadedByPersonId) {
    const how = batch.createdByType === "api_key" ? "An API key you created uploaded this batch" : "You uploaded this batch";
    return { status: 409, code: "own_upload", message: `${how}: a second privacy officer or admin must approve or reject it.` };
  }
  return null;
}
