// What a person must type to confirm a customer's deletion (PRODUCT.md,
// "Deletion": a confirmation that names the customer). Pure, so the dialog's
// button and the server's re-check follow the same rule: the email, trimmed
// and ignoring case, or the external id, trimmed and exact. A customer with
// neither is confirmed by their internal id.

/** The longest reason a request keeps (here, not with the zod schemas: the dialog imports this, and zod has no place in a client bundle). */
export const MAX_DELETION_REASON = 1000;

export interface ConfirmationTarget {
  id: string;
  email: string | null;
  externalId: string | null;
}

export function confirmationMatches(target: ConfirmationTarget, typed: string): boolean {
  const value = typed.trim();
  if (value === "") return false;
  const email = target.email?.trim();
  const externalId = target.externalId?.trim();
  if (email && value.toLowerCase() === email.toLowerCase()) return true;
  if (externalId && value === externalId) return true;
  return !email && !externalId && value.toLowerCase() === target.id.toLowerCase();
}

/** What the dialog asks for, in words. */
export function confirmationPrompt(target: ConfirmationTarget): string {
  if (target.email?.trim() && target.externalId?.trim()) return "the customer's email or external id";
  if (target.email?.trim()) return "the customer's email";
  if (target.externalId?.trim()) return "the customer's external id";
  return "the customer's internal id";
}

/** The typed text names someone else (or nobody): nothing is erased. */
export class DeletionConfirmationError extends Error {
  readonly field = "confirmation";
  constructor(message = "Does not match this customer's email or external id; nothing was deleted.") {
    super(message);
    this.name = "DeletionConfirmationError";
  }
}
