"use server";

import { approveDeletionBatch, BatchNotFoundError, BulkUploadError, rejectDeletionBatch, uploadDeletionBatch } from "../deletions/bulk.ts";
import { DeletionStateError } from "../deletions/errors.ts";
import { BatchDecisionSchema, UploadFormSchema } from "../validations/deletion-batches.ts";
import { defineAction } from "./define.ts";
import { fieldsFailure } from "./result.ts";

// Thin on purpose (see define.ts): the rules live in lib/deletions/bulk.ts.

/** A refusal of the bulk rules (a file it cannot take, not the uploader's to approve) as the page shows it. */
const refused = (error: unknown) => {
  if (error instanceof BulkUploadError) return fieldsFailure({ [error.field]: error.message }, error.message);
  if (error instanceof DeletionStateError || error instanceof BatchNotFoundError) return { ok: false as const, error: error.message };
  return null;
};

/** Uploads a CSV of external ids or emails as a bulk deletion. */
export const uploadDeletionBatchAction = defineAction(
  "customers:delete",
  UploadFormSchema,
  async ({ file, regime, reason }, actor) => {
    const batch = await uploadDeletionBatch({ csv: new Uint8Array(await file.arrayBuffer()), fileName: file.name, regime, reason, actor });
    return { id: batch.id, status: batch.status };
  },
  { revalidate: "/deletions/bulk", failure: refused },
);

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
