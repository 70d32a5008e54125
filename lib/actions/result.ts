import type { z } from "zod";
import { issueFields } from "../validations/fields.ts";

/**
 * Field errors by dotted path (`email`, `purposes.email_marketing`,
 * `events[3].type`), one message each: the shape lib/validations/fields.ts,
 * the domain errors and the API's error envelope all give.
 */
export type FieldErrors = Record<string, string>;

export type ActionFailure = { ok: false; error: string; fieldErrors?: FieldErrors };

/** The one result shape every server action returns. */
export type ActionResult<T = undefined> = { ok: true; data: T } | ActionFailure;

/** How a `useActionState` form calls an action. */
export type FormAction<T> = (previous: ActionResult<T> | undefined, form: FormData) => Promise<ActionResult<T>>;

/** A failure naming its fields; the message names them too, for a caller that shows only `error`. */
export function fieldsFailure(fields: FieldErrors, error = `Check ${Object.keys(fields).join(", ")}: ${Object.values(fields)[0]}`) {
  // A plain object: the field map has no prototype (so "__proto__" is a key like any), which React cannot send to the client.
  return { ok: false, error, fieldErrors: { ...fields } } satisfies ActionFailure;
}

/** Input the schema refused, by field ("input" when the whole input is wrong, e.g. not an object). */
export function invalid(error: z.ZodError): ActionFailure {
  return fieldsFailure(issueFields(error, "input"));
}
