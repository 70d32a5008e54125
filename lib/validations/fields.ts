import type { z } from "zod";

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
 * Every issue as `{ field: message }`, first message per field. An unknown
 * key is reported at its own path ("consent.purposes.sms: Unknown field.")
 * rather than at its parent, so the error names what was wrong.
 */
export function issueFields(error: z.ZodError, root = "body"): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) fields[fieldPath([...issue.path, key])] ??= "Unknown field.";
      continue;
    }
    fields[fieldPath(issue.path) || root] ??= issue.message;
  }
  return fields;
}
