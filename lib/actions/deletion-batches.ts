"use server";

import { approveDeletionBatch, BatchNotFoundError, rejectDeletionBatch } from "../deletions/bulk.ts";
import { DeletionStateError } from "../deletions/errors.ts";
import { BatchDecisionSchema } from "../validations/deletion-batches.ts";
import { defineAction } from "./define.ts";

// Thin on purpose (see define.ts): the rules live in lib/deletions/bulk.ts.
// The upload is not an action: the form sends the file to POST
// /api/deletion-batches (components/deletions/upload-batch.ts), which reads a
// body only from a caller it knows, so pages take small bodies only.

/** A refusal of the bulk rules (not the uploader's to approve, no longer waiting) as the page shows it. */
const refused = (error: unknown) => {
  if (error instanceof DeletionStateError || error instanceof BatchNotFoundError) return { ok: false as const, error: error.message };
  return null;
};

/** Approves a bulk deletion waiting for approval (a second privacy officer or admin). */
export const approveDeletionBatchAction = defineAction(
  "customers:delete",
  BatchDecisionSchema,
  async ({ batchId }, actor) => approveDeletionBatch(batchId, actor),
  { revalidate: (input) => ["/deletions/bulk", `/deletions/bulk/${input.batchId}`], failure: refused },
);

/** Rejects a bulk deletion waiting for approval: nothing in it is erased. */
export const rejectDeletionBatchAction = defineAction(
  "customers:delete",
  BatchDecisionSchema,
  async ({ batchId }, actor) => {
    const { id, status } = await rejectDeletionBatch(batchId, actor);
    return { id, status };
  },
  { revalidate: (input) => ["/deletions/bulk", `/deletions/bulk/${input.batchId}`], failure: refused },
);
