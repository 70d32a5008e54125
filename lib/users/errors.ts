import { Prisma } from "../generated/prisma/client.ts";

export const LAST_ADMIN_MESSAGE = "At least one active admin is required.";
export const DUPLICATE_EMAIL_MESSAGE = "A user with this email already exists.";

/**
 * A change the rules refuse (the last admin, deactivating yourself, a taken
 * email). Its message is written for the person who asked; `field` names the
 * form field it belongs to, when there is one.
 */
export class UserRuleError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "UserRuleError";
  }
}

type AdapterCause = { code?: unknown; originalCode?: unknown; message?: unknown; constraint?: unknown };

/** What the driver adapter reported under a Prisma error, if it was a database error. */
function adapterCause(error: unknown): AdapterCause | null {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return null;
  const adapterError = error.meta?.driverAdapterError;
  if (typeof adapterError !== "object" || adapterError === null || !("cause" in adapterError)) return null;
  const cause = adapterError.cause;
  return typeof cause === "object" && cause !== null ? (cause as AdapterCause) : null;
}

/**
 * The `users_keep_an_admin` trigger's check_violation (SQLSTATE 23514). Both
 * driver adapters drop the constraint name of errors they have no mapping
 * for, so when it is missing the trigger's own message identifies it.
 */
export function isKeepAnAdminViolation(error: unknown): boolean {
  const cause = adapterCause(error);
  if (!cause || (cause.code ?? cause.originalCode) !== "23514") return false;
  if (typeof cause.constraint === "string") return cause.constraint === "users_keep_an_admin";
  return typeof cause.message === "string" && cause.message.includes("at least one active admin is required");
}

/** A unique violation on users: the email is the only unique column a create can collide on. */
export function isDuplicateUserEmail(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002" && error.meta?.modelName === "User";
}

/** The database backstops, translated into the messages the rules give. */
export function translateDatabaseError(error: unknown): unknown {
  if (isKeepAnAdminViolation(error)) return new UserRuleError(LAST_ADMIN_MESSAGE);
  if (isDuplicateUserEmail(error)) return new UserRuleError(DUPLICATE_EMAIL_MESSAGE, "email");
  return error;
}
