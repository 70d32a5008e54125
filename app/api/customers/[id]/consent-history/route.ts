import { authorize, AuthorizationError } from "@/lib/auth/actor";
import { actorFromRequest } from "@/lib/auth/request";
import { customerExists, exportConsentHistory } from "@/lib/consent/history";
import { parseHistoryExportParams } from "@/lib/validations/consent-history";

// Exporting is a read: like the audit export, it is not itself written to the audit log.

function apiError(status: number, code: string, message: string, fields?: Record<string, string>) {
  return Response.json({ error: fields ? { code, message, fields } : { code, message } }, { status, headers: { "Cache-Control": "no-store" } });
}

/**
 * GET /api/customers/{id}/consent-history?format=csv|json&purpose=<purpose or vendors.slug>:
 * the customer's consent history as proof of consent, newest first. JSON unless csv is asked for.
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const actor = await actorFromRequest(request);
  try {
    authorize(actor, "customers:read");
  } catch (error) {
    if (!(error instanceof AuthorizationError)) throw error;
    return apiError(error.status, error.status === 401 ? "unauthorized" : "forbidden", error.message);
  }

  const { id } = await params;
  const url = new URL(request.url);
  const raw: Record<string, string[]> = {};
  for (const [key, value] of url.searchParams) (raw[key] ??= []).push(value);
  const parsed = parseHistoryExportParams(raw);
  if (!parsed.ok) {
    const fields = Object.fromEntries(parsed.errors.map((e) => [e.field, e.message]));
    return apiError(422, "invalid_parameters", `Invalid parameters: ${Object.keys(fields).join(", ")}.`, fields);
  }
  // A malformed id and an unknown one answer alike.
  if (!(await customerExists(id))) return apiError(404, "not_found", "No customer with this id.");

  const now = new Date();
  const { format, purpose } = parsed.params;
  const { contentType, body } = await exportConsentHistory(id, format, { purpose, now });
  return new Response(body, {
    headers: {
      "Content-Type": contentType,
      "Content-Disposition": `attachment; filename="consent-history-${id}-${now.toISOString().slice(0, 10)}.${format}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
