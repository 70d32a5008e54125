import type { ActionFailure, ActionResult, FieldErrors } from "@/lib/actions/result";

// The bulk upload as the dashboard sends it: the file itself, as the body of
// POST /api/deletion-batches (text/csv; regime, reason and name in the query),
// with the session cookie. A server action would have to take 5 MB from
// anyone who posts to a page; the route reads the body only once it knows the
// caller may delete (lib/api/deletion-batches.ts), and counts it as it comes.

export type UploadResult = ActionResult<{ id: string }>;

/**
 * The largest file the route takes (MAX_CSV_BYTES in lib/deletions/csv.ts, equal by
 * ./upload-batch.test.ts). Not imported: that module brings zod, whose first schema
 * probes for eval, which the page's Content-Security-Policy reports as a violation.
 */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/** The form's fields, by the names the route's error envelope gives them. */
const FORM_FIELD: Readonly<Record<string, "file" | "regime" | "reason">> = {
  file: "file",
  file_name: "file",
  csv: "file",
  body: "file",
  "content-type": "file",
  regime: "regime",
  reason: "reason",
};

type Envelope = { error?: { message?: unknown; fields?: unknown } };

/** The route's refusal as the form shows it: each field's message beside its input, anything else above the form. */
export function uploadFailure(status: number, body: unknown): ActionFailure {
  const error = (body as Envelope | null)?.error;
  const message = typeof error?.message === "string" ? error.message : `The upload failed (${status}). Try again.`;
  const fieldErrors: FieldErrors = {};
  if (error?.fields && typeof error.fields === "object") {
    for (const [name, text] of Object.entries(error.fields as Record<string, unknown>)) {
      const field = Object.hasOwn(FORM_FIELD, name) ? FORM_FIELD[name] : undefined;
      if (field && typeof text === "string") fieldErrors[field] ??= status === 413 ? message : text;
    }
  }
  return Object.keys(fieldErrors).length > 0 ? { ok: false, error: message, fieldErrors } : { ok: false, error: message };
}

/** The upload form's action: checks what it can before sending, then sends the file and reads the answer. */
export async function uploadDeletionBatch(_previous: UploadResult | undefined, form: FormData): Promise<UploadResult> {
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) {
    const message = file instanceof File && file.name ? "The file is empty" : "Choose a CSV file";
    return { ok: false, error: message, fieldErrors: { file: message } };
  }
  if (file.size > MAX_UPLOAD_BYTES) {
    const message = `The file is larger than ${MAX_UPLOAD_BYTES.toLocaleString("en")} bytes`;
    return { ok: false, error: message, fieldErrors: { file: message } };
  }
  const query = new URLSearchParams({ file_name: file.name || "upload.csv" });
  for (const name of ["regime", "reason"] as const) {
    const value = form.get(name);
    if (typeof value === "string" && value.trim() !== "") query.set(name, value);
  }
  let response: Response;
  try {
    response = await fetch(`/api/deletion-batches?${query}`, {
      method: "POST",
      headers: { "content-type": "text/csv", accept: "application/json" },
      body: file,
    });
  } catch {
    return { ok: false, error: "The upload did not reach the server. Check the connection and try again." };
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.status !== 201) return uploadFailure(response.status, body);
  const id = (body as { data?: { id?: unknown } } | null)?.data?.id;
  return typeof id === "string" ? { ok: true, data: { id } } : uploadFailure(response.status, null);
}
