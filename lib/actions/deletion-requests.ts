"use server";

import { extendDeletion } from "../deletions/extend.ts";
import { DeletionRequestNotFoundError, DeletionStateError } from "../deletions/errors.ts";
import { ExtendDeletionFormSchema } from "../validations/deletion-requests.ts";
import { defineAction } from "./define.ts";
import { fieldsFailure } from "./result.ts";

// Thin on purpose (see define.ts): the rules live in lib/deletions/extend.ts.

export type ExtendResult = { id: string; extension: number; unit: "months" | "days"; dueAt: string };

const refused = (error: unknown) => {
  if (error instanceof DeletionRequestNotFoundError) return fieldsFailure({ requestId: error.message }, error.message);
  if (error instanceof DeletionStateError) return fieldsFailure({ [error.field ?? "extension"]: error.message }, error.message);
  return null;
};

/** Extends a deletion request's deadline (a total beyond the first: months for GDPR, days for CCPA), with a reason. */
export const extendDeletionAction = defineAction(
  "customers:delete",
  ExtendDeletionFormSchema,
  async ({ requestId, extension, reason }, actor): Promise<ExtendResult> => {
    const extended = await extendDeletion(actor, requestId, { extension, reason });
    return { id: extended.id, extension: extended.extension, unit: extended.unit, dueAt: extended.dueAt.toISOString() };
  },
  { revalidate: (input) => ["/deletions", `/deletions/${input.requestId}`], failure: refused },
);
