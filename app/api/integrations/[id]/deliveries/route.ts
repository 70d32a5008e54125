import { apiError, requireApiActor, route } from "@/lib/api/http";
import { deliveryJson } from "@/lib/api/deliveries";
import { integrationExists, listDeliveries } from "@/lib/integrations/deliveries";
import { parseDeliveryApiParams } from "@/lib/validations/deliveries";
import { searchParamsOf } from "@/lib/validations/search-params";

/**
 * GET /api/integrations/{id}/deliveries?status=&kind=&from=&to=&limit=&after=&before=:
 * the integration's delivery log, newest first, keyset-paged. A read: no audit entry.
 */
export const GET = route(async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const actor = await requireApiActor(request, "integrations:read");
  if (actor instanceof Response) return actor;
  const { id } = await params;
  const parsed = parseDeliveryApiParams(searchParamsOf(new URL(request.url)));
  if (!parsed.ok) {
    const fields = Object.fromEntries(parsed.errors.map((e) => [e.field, e.message]));
    return apiError(422, "invalid_parameters", `Invalid parameters: ${Object.keys(fields).join(", ")}.`, fields);
  }
  // A malformed id and an unknown one answer alike.
  if (!(await integrationExists(id)))
    return apiError(404, "not_found", "No integration with this id.", { id: "No integration has this id." });
  const page = await listDeliveries(id, parsed.params, parsed.params.limit);
  return Response.json(
    { data: { deliveries: page.rows.map(deliveryJson), next: page.next ?? null, previous: page.previous ?? null } },
    { headers: { "Cache-Control": "no-store" } },
  );
});
