import { apiError, invalidRequest, requireApiActor, route } from "@/lib/api/http";
import { getSendPreview } from "@/lib/audiences/send-preview";
import { parseSendPreviewRequest } from "@/lib/validations/audiences";
import { searchParamsOf } from "@/lib/validations/search-params";

/**
 * GET /api/audiences/{id}/send-preview?channel=email|push: how many members a
 * send on that channel reaches, how many it skips and why, and how many of
 * those reached get tracked links. A read: no audit entry.
 */
export const GET = route(async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const actor = await requireApiActor(request, "customers:read");
  if (actor instanceof Response) return actor;

  const { id } = await params;
  const parsed = parseSendPreviewRequest({ id, channel: searchParamsOf(new URL(request.url)).channel });
  if (!parsed.ok) {
    // A malformed id and an unknown one answer alike (404), as for customers.
    const fields = Object.fromEntries(parsed.errors.filter((e) => e.field !== "id").map((e) => [e.field, e.message]));
    if (Object.keys(fields).length > 0) return invalidRequest(fields);
    return apiError(404, "not_found", "No audience with this id.", { id: "No audience has this id." });
  }

  const preview = await getSendPreview(parsed.data.id, parsed.data.channel);
  if (!preview) return apiError(404, "not_found", "No audience with this id.", { id: "No audience has this id." });
  return Response.json({ data: preview }, { headers: { "Cache-Control": "no-store" } });
});
