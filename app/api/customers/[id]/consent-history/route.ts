import { apiError, requireApiActor, route } from "@/lib/api/http";
import { customerExists, exportConsentHistory } from "@/lib/consent/history";
import { parseHistoryExportParams } from "@/lib/validations/consent-history";
import { searchParamsOf } from "@/lib/validations/search-params";

// Exporting is a read: like the audit export, it is not itself written to the audit log.

/**
 * GET /api/customers/{id}/consent-history?format=csv|json&purpose=<purpose or vendors.slug>:
 * the customer's consent history as proof of consent, newest first. JSON unless csv is asked for.
 */
export const GET = route(async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const actor = await requireApiActor(request, "customers:read");
  if (actor instanceof Response) return actor;

  const { id } = await params;
  const parsed = parseHistoryExportParams(searchParamsOf(new URL(request.url)));
  if (!parsed.ok) {
    const fields = Object.fromEntries(parsed.errors.map((e) => [e.field, e.message]));
    return apiError(422, "invalid_parameters", `Invalid parameters: ${Object.keys(fields).join(", ")}.`, fields);
  }
  // A malformed id and an unknown one answer alike.
  if (!(await customerExists(id))) return apiError(404, "not_found", "No customer with this id.", { id: "No customer has this id." });

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
});
