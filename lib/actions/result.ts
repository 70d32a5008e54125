import { z } from "zod";

/** The one result shape every server action returns. */
export type ActionResult<T = undefined> =
  { ok: true; data: T } | { ok: false; error: string; fieldErrors?: Record<string, string[] | undefined> };

export function invalid(error: z.ZodError): ActionResult<never> {
  return { ok: false, error: "Check the highlighted fields.", fieldErrors: z.flattenError(error).fieldErrors as Record<string, string[]> };
}

/** A failure naming fields by path, one message each (the shape lib/validations/fields.ts and domain errors give). */
export function fieldsFailure(error: string, fields: Record<string, string>): ActionResult<never> {
  return { ok: false, error, fieldErrors: Object.fromEntries(Object.entries(fields).map(([field, message]) => [field, [message]])) };
}
