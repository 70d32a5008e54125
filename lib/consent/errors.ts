import type { ConsentRecord } from "./record.ts";

/** No customer with that id (or external id). */
export class ConsentNotFoundError extends Error {
  constructor() {
    super("No customer with this id.");
    this.name = "ConsentNotFoundError";
  }
}

/** The record moved on since the caller read it; `current` is the fresh state to show or retry from. */
export class ConsentConflictError extends Error {
  constructor(readonly current: ConsentRecord) {
    super(`The consent changed since it was read: it is now at version ${current.version}.`);
    this.name = "ConsentConflictError";
  }
}

/** Input the schema cannot judge alone (a vendor no integration has), by field path. */
export class ConsentInputError extends Error {
  constructor(readonly fields: Record<string, string>) {
    super(Object.values(fields).join(" "));
    this.name = "ConsentInputError";
  }
}
