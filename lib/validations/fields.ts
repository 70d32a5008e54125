import { z } from "zod";

/** A zod path as a client names the field: `consent.purposes.email_marketing`, `events[3].type`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}

/**
 * An empty map of field messages. Without Object.prototype, a field named
 * `__proto__`, `constructor` or `toString` is a key like any other: on a
 * plain `{}` the first would not be set at all and the others would read as
 * already set, leaving `"Invalid ."` with no field named.
 */
export const fieldMap = (): Record<string, string> => Object.create(null) as Record<string, string>;

/**
 * Every issue as `{ field: message }`, first message per field. An unknown
 * key is reported at its own path ("consent.purposes.sms: Unknown field.")
 * rather than at its parent, so the error names what was wrong.
 */
export function issueFields(error: z.ZodError, root = "body"): Record<string, string> {
  const fields = fieldMap();
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) fields[fieldPath([...issue.path, key])] ??= "Unknown field.";
      continue;
    }
    fields[fieldPath(issue.path) || root] ??= issue.message;
  }
  return fields;
}

/**
 * A JSON object read as a record. zod's record skips an own `__proto__` key
 * without a word (it cannot be assigned to the plain object it builds), so
 * `{"vendors": {"__proto__": true}}` would be silently ignored: here it is
 * refused by name, with `keyMessage`, like any other key the record refuses.
 */
export function jsonRecord<K extends z.core.$ZodRecordKey, V extends z.ZodType>(
  key: K,
  value: V,
  keyMessage: string,
  params?: Parameters<typeof z.record>[2],
) {
  const record = z.record(key, value, params);
  return z.preprocess((input, ctx) => {
    if (typeof input === "object" && input !== null && Object.hasOwn(input, "__proto__"))
      ctx.addIssue({ code: "custom", path: ["__proto__"], message: keyMessage, input });
    return input;
  }, record);
}
