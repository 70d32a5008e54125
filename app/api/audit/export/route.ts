import { exportAuditCsv } from "@/lib/audit/export";
import { parseAuditParams } from "@/lib/audit/params";
import { apiError, requireApiActor, route } from "@/lib/api/http";
import { searchParamsOf } from "@/lib/validations/search-params";

// Exporting is a read: it is not itself written to the audit log.

/** GET /api/audit/export?<the audit page's filters>: the filtered log as CSV, newest first. */
export const GET = route(async function GET(request: Request): Promise<Response> {
  const actor = await requireApiActor(request, "audit:read");
  if (actor instanceof Response) return actor;

  const parsed = parseAuditParams(searchParamsOf(new URL(request.url)));
  if (!parsed.ok) {
    // An API client gets the whole request refused, where the page drops the bad filter and goes on.
    const fields = Object.fromEntries(parsed.errors.map((e) => [e.field, e.message]));
    return apiError(400, "invalid_request", `Invalid parameters: ${Object.keys(fields).join(", ")}.`, fields);
  }

  const { stream, truncated } = await exportAuditCsv(parsed.params);
  const date = new Date().toISOString().slice(0, 10);
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="audit-${date}.csv"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
      // The file holds the newest 100,000 entries of a larger view; narrow the filters for the rest.
      "X-Audit-Export-Truncated": truncated ? "true" : "false",
    },
  });
});
