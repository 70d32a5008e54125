"use server";

import { DeletionConfirmationError } from "../deletions/confirmation.ts";
import { deleteFromDashboard } from "../deletions/dashboard.ts";
import { CustomerNotFoundError } from "../deletions/errors.ts";
import { DeleteCustomerSchema } from "../validations/deletions.ts";
import { defineAction } from "./define.ts";
import { fieldsFailure, type ActionFailure } from "./result.ts";

// Thin on purpose (see define.ts): the confirmation rule and the erasure live in lib/deletions.

export type DeletedCustomer = { requestId: string; created: boolean };

function deletionFailure(error: unknown): ActionFailure | null {
  if (error instanceof DeletionConfirmationError) return fieldsFailure({ confirmation: error.message }, error.message);
  if (error instanceof CustomerNotFoundError) return { ok: false, error: "This customer no longer exists." };
  return null;
}

/** Deletes a customer from their profile; the dialog then opens the request (/deletions/{requestId}). */
export const deleteCustomerAction = defineAction(
  "customers:delete",
  DeleteCustomerSchema,
  async ({ customerId, confirmation, regime, reason }, actor): Promise<DeletedCustomer> => {
    const { request, created } = await deleteFromDashboard({ customerId, confirmation, regime, reason, actor });
    return { requestId: request.id, created };
  },
  { revalidate: ({ customerId }) => [`/customers/${customerId}`, "/customers", "/deletions"], failure: deletionFailure },
);
