/** No customer with that id or external id, and no erasure of one either. */
export class CustomerNotFoundError extends Error {
  constructor() {
    super("No customer with this id.");
    this.name = "CustomerNotFoundError";
  }
}

/** The customer was erased: the API answers 410 customer_erased. */
export class CustomerErasedError extends Error {
  constructor(readonly requestId: string | null = null) {
    super("This customer was erased at their request.");
    this.name = "CustomerErasedError";
  }
}

/** A request that cannot move this way (an extension past the regime's limit, a batch approved twice). */
export class DeletionStateError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "DeletionStateError";
  }
}

/** Not this caller's to approve or reject (lib/deletions/bulk-approval.ts): 403 for an API key, 409 for the uploader or a batch not waiting. */
export class ApprovalRefusedError extends DeletionStateError {
  constructor(readonly refusal: { status: 403 | 409; code: string; message: string }) {
    super(refusal.message, "id");
    this.name = "ApprovalRefusedError";
  }
}

/** No deletion request with this id (or a malformed one): the API answers 404. */
export class DeletionRequestNotFoundError extends Error {
  constructor() {
    super("No deletion request with this id.");
    this.name = "DeletionRequestNotFoundError";
  }
}
