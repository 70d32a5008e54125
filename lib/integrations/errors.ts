import { Prisma } from "../generated/prisma/client.ts";

// The refusals of Settings → Integrations and /api/integrations, written for
// the person or client who asked. The actions show them at their fields; the
// routes answer them with the status each names.

export const DUPLICATE_VENDOR_MESSAGE = "Another integration already uses this vendor slug.";

/** No integration with that id. */
export class IntegrationNotFoundError extends Error {
  constructor() {
    super("No integration with this id.");
    this.name = "IntegrationNotFoundError";
  }
}

/** Input the schema alone cannot judge (an endpoint's addresses, a taken vendor), by field; 409 for a conflict with another row. */
export class IntegrationInputError extends Error {
  constructor(
    readonly fields: Record<string, string>,
    readonly status: 409 | 422 = 422,
  ) {
    super(Object.values(fields).join(" "));
    this.name = "IntegrationInputError";
  }
}

/** A unique violation on integrations: vendor is the only unique column a write can collide on. */
export function isDuplicateVendor(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002" && error.meta?.modelName === "Integration";
}
