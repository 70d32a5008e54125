import { z } from "zod";
import { isStorableText, storableValue } from "./text.ts";

// URL state (a page's search params, a GET route's query) as the pages and
// routes validate it: each parameter on its own, so a bad one can be named and
// dropped while the rest still applies.

export type SearchParamsInput = Record<string, string | string[] | undefined>;
export type ParamError = { field: string; message: string };

export const REPEATED_PARAM_MESSAGE = "must be given once, not repeated";

/**
 * One search parameter, which takes one value: a key given twice
 * (`?regime=gdpr&regime=ccpa`) is refused by name rather than one value
 * silently winning, and "" counts as absent. Text PostgreSQL cannot store
 * (NUL, a lone surrogate) is refused here, once for every parameter,
 * whatever the parameter's own schema.
 */
export const searchParam = <T extends z.ZodType>(schema: T) => z.preprocess(oneValue, storableValue.pipe(schema.optional()));

/** A query value as a parameter that takes one value reads it: the one value, absent for "" or null, an issue when repeated. */
export function oneValue(value: unknown, ctx: z.core.$RefinementCtx): unknown {
  if (Array.isArray(value) && value.length > 1) {
    ctx.addIssue({ code: "custom", message: REPEATED_PARAM_MESSAGE });
    return z.NEVER;
  }
  const one: unknown = Array.isArray(value) ? value[0] : value;
  return one === "" || one === null ? undefined : one;
}

/** A keyset cursor as it travels in a URL: its JSON, base64url-encoded. */
export function encodeKeysetCursor<T>(cursor: T): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

/**
 * The one cursor codec's decoder: a cursor parameter (see encodeKeysetCursor)
 * decoded and checked against `schema`; anything else gets `message`. Only
 * base64url of well-formed UTF-8 JSON decodes, and `schema` (built from the
 * shared text, time and id schemas) holds every value to what the query can
 * bind, so a forged cursor is refused by name rather than failing the query.
 */
export function keysetCursorParam<T extends z.ZodType>(schema: T, maxLength: number, message: string) {
  return z
    .string()
    .max(maxLength, message)
    .transform((raw, ctx): z.output<T> => {
      try {
        if (/^[A-Za-z0-9_-]*$/.test(raw)) {
          const json = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(raw, "base64url"));
          const parsed = isStorableText(json) ? schema.safeParse(JSON.parse(json)) : undefined;
          if (parsed?.success) return parsed.data;
        }
      } catch {
        // fall through to the issue below
      }
      ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    });
}

/** A query string as parse functions take it: every value of each key. */
export function searchParamsOf(url: URL): Record<string, string[]> {
  // Without Object.prototype: `?constructor=` or `?__proto__=` is a parameter like any other.
  const raw = Object.create(null) as Record<string, string[]>;
  for (const [key, value] of url.searchParams) (raw[key] ??= []).push(value);
  return raw;
}

/** Each parameter with an issue, by its name, with its first message. */
export function paramErrors(error: z.ZodError): ParamError[] {
  const found = new Map<string, string>();
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "query");
    if (!found.has(field)) found.set(field, issue.message);
  }
  return [...found].map(([field, message]) => ({ field, message }));
}

/**
 * Parses `raw`; a parameter with an issue is reported by name (its first
 * message) and dropped, and the rest parsed again. A refinement across
 * fields runs only once every field parses, so a later pass can name one more.
 * `errors` is empty when everything parsed; with no valid rest, `data` is the
 * schema's result for no parameters at all.
 */
export function parseSearchParams<S extends z.ZodType>(schema: S, raw: SearchParamsInput): { data: z.output<S>; errors: ParamError[] } {
  const errors: ParamError[] = [];
  let current = raw;
  for (let pass = 0; pass < 3; pass++) {
    const result = schema.safeParse(current);
    if (result.success) return { data: result.data, errors };
    const found = paramErrors(result.error);
    errors.push(...found);
    current = Object.fromEntries(Object.entries(current).filter(([k]) => !found.some((e) => e.field === k)));
  }
  return { data: schema.parse({}), errors };
}

/** An API list's page size, `limit`: a whole number from 1 to `max` (absent: the caller's default). */
export function limitParam(max: number) {
  const message = `must be a whole number from 1 to ${max}`;
  return searchParam(z.coerce.number(message).int(message).min(1, message).max(max, message));
}

/** An API's query, where any bad parameter refuses the request (422), each named. */
export function parseApiParams<S extends z.ZodType>(
  schema: S,
  raw: SearchParamsInput,
): { ok: true; params: z.output<S> } | { ok: false; errors: ParamError[] } {
  const { data, errors } = parseSearchParams(schema, raw);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, params: data };
}
