import "server-only";
import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { recordRefusal } from "../audit/refusals.ts";
import { AuthorizationError, authorize, type Actor } from "../auth/actor.ts";
import type { Permission } from "../auth/permissions.ts";
import { getCurrentUser } from "../auth/session.ts";
import { ConsentInputError, ConsentNotFoundError } from "../consent/errors.ts";
import { isConnectionLost } from "../db/errors.ts";
import { CustomerErasedError } from "../deletions/errors.ts";
import { MAX_JSON_DEPTH, valueNestsDeeper } from "../http/json-depth.ts";
import { UserRuleError } from "../users/errors.ts";
import { fieldsFailure, invalid, type ActionFailure, type ActionResult } from "./result.ts";

// The one shape of a server action: authenticate, authorize, validate, call
// the domain, revalidate. Not in a "use server" file: those may export only
// actions, and this is what the actions in lib/actions are made with.

type Failure = { ok: false; error: string };

/**
 * A server action, callable both ways the dashboard calls one: by a
 * `useActionState` form (`previous, formData`) or directly with an object.
 * `permission` is what it checks (null: public), for the authorization test.
 */
export type Action<R> = {
  (input?: unknown): Promise<R>;
  (previous: R | undefined, form: FormData): Promise<R>;
  readonly permission: Permission | null;
};

export interface ActionOptions<I, T, F extends Failure> {
  /** The page (or pages) whose server-rendered data the change makes stale. */
  revalidate?: string | ((input: I, data: T) => string | readonly string[]);
  /** An action's own domain errors, beyond the shared ones (domainFailure); null for any other error. */
  failure?: (error: unknown) => F | null;
}

/** The refusals of domain rules as a form shows them; null for faults, which propagate to the error boundary. */
export function domainFailure(error: unknown): ActionFailure | null {
  if (error instanceof UserRuleError)
    return error.field ? fieldsFailure({ [error.field]: error.message }, error.message) : failure(error.message);
  if (error instanceof ConsentInputError) return fieldsFailure(error.fields, error.message);
  if (error instanceof ConsentNotFoundError) return failure("This customer no longer exists.");
  if (error instanceof CustomerErasedError) return failure("This customer was erased at their request: nothing can be changed any more.");
  return null;
}

const failure = (error: string): ActionFailure => ({ ok: false, error });

/**
 * The one limit on what an action takes, beyond its schema: no form or
 * argument has more than this many characters of text, or nests deeper than
 * MAX_JSON_DEPTH. Next.js refuses bodies over `serverActions.bodySizeLimit`
 * (1 MB) itself, before any action runs; this holds direct callers and
 * anything under that limit to the same bound, as a field error.
 */
export const MAX_ACTION_TEXT = 256 * 1024;

function overLimit(input: unknown): ActionFailure | null {
  if (valueNestsDeeper(input)) return fieldsFailure({ input: `Nested deeper than ${MAX_JSON_DEPTH} levels.` });
  let size = 0;
  const seen = new Set<object>();
  const stack: unknown[] = [input];
  while (stack.length > 0 && size <= MAX_ACTION_TEXT) {
    const v = stack.pop();
    if (typeof v === "string") size += v.length;
    if (typeof v !== "object" || v === null || seen.has(v)) continue;
    seen.add(v);
    for (const [key, child] of Object.entries(v)) {
      size += key.length;
      stack.push(child);
    }
  }
  return size > MAX_ACTION_TEXT ? fieldsFailure({ input: `Larger than ${MAX_ACTION_TEXT.toLocaleString("en")} characters.` }) : null;
}

/** What was sent: a form's fields (the last argument, after the previous state) or the object itself. */
function inputOf(args: readonly unknown[]): unknown {
  const last = args.at(-1);
  return last instanceof FormData ? Object.fromEntries(last) : args[0];
}

async function authenticate(permission: Permission): Promise<Actor | ActionFailure> {
  const user = await getCurrentUser();
  try {
    return authorize(user, permission);
  } catch (error) {
    if (!(error instanceof AuthorizationError)) throw error;
    // A signed-in caller refused is recorded; the action is named by what it needs (an action has no path of its own).
    if (user && error.status === 403) await recordRefusal(user, { kind: "action", action: `server action (${permission})` }, permission);
    return failure(error.status === 401 ? "Your session has ended. Sign in again." : error.message);
  }
}

/** What a form shows when the database connection was lost under an action (lib/db/errors.ts): the transaction went with it. */
export const CONNECTION_LOST = "The connection to the database was lost before this finished. Try again in a moment.";

function build<S extends z.ZodType, T, F extends Failure>(
  permission: Permission | null,
  schema: S,
  handler: (input: z.output<S>, actor: Actor | null) => Promise<T>,
  options: ActionOptions<z.output<S>, T, F>,
): Action<ActionResult<T> | F> {
  // A lost connection is the server's moment, not the form's fault or a fault to show as "something went wrong".
  async function action(...args: unknown[]): Promise<ActionResult<T> | F> {
    try {
      return await run(...args);
    } catch (error) {
      if (!isConnectionLost(error)) throw error;
      console.warn("Consent Desk: database connection lost during a server action");
      return failure(CONNECTION_LOST);
    }
  }
  async function run(...args: unknown[]): Promise<ActionResult<T> | F> {
    // The role check comes before validation: a caller who may not act learns nothing about the input.
    const actor = permission === null ? null : await authenticate(permission);
    if (actor && "ok" in actor) return actor;
    const input = inputOf(args);
    const tooLarge = overLimit(input);
    if (tooLarge) return tooLarge;
    const parsed = schema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    let data: T;
    try {
      data = await handler(parsed.data, actor);
    } catch (error) {
      const refused = options.failure?.(error) ?? domainFailure(error);
      if (refused) return refused;
      throw error;
    }
    const { revalidate } = options;
    const paths = typeof revalidate === "function" ? revalidate(parsed.data, data) : revalidate;
    for (const path of typeof paths === "string" ? [paths] : (paths ?? [])) revalidatePath(path);
    return { ok: true, data };
  }
  return Object.assign(action, { permission }) as Action<ActionResult<T> | F>;
}

/** An action for callers with `permission`; `handler` gets the validated input and the caller. */
export function defineAction<S extends z.ZodType, T, F extends Failure = never>(
  permission: Permission,
  schema: S,
  handler: (input: z.output<S>, actor: Actor) => Promise<T>,
  options: ActionOptions<z.output<S>, T, F> = {},
): Action<ActionResult<T> | F> {
  return build(permission, schema, (input, actor) => handler(input, actor!), options);
}

/** An action anyone may call (signing in): validated like the rest, but nobody to authorize. */
export function definePublicAction<S extends z.ZodType, T, F extends Failure = never>(
  schema: S,
  handler: (input: z.output<S>) => Promise<T>,
  options: ActionOptions<z.output<S>, T, F> = {},
): Action<ActionResult<T> | F> {
  return build(null, schema, (input) => handler(input), options);
}
