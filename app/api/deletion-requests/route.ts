import { apiError, requireApiActor, route } from "@/lib/api/http";
import { deletionRequestJson } from "@/lib/api/deletion-requests";
import { listDeletionRequests } from "@/lib/deletions/queries";
import { parseDeletionListApiParams } from "@/lib/validations/deletion-requests";
import { searchParamsOf } from "@/lib/validations/search-params";

/**
 * GET /api/deletion-requests?status=&regime=&source=&deadline=&from=&to=&limit=&after=&before=:
 * deletion requests, newest first, keyset-paged. A read: no audit entry.
 */
export const GET = route(async function GET(request: Request): Promise<Response> {
  const actor = await requireApiActor(request, "deletions:read");
  if (actor instanceof Response) return actor;
  const parsed = parseDeletionListApiParams(searchParamsOf(new URL(request.url)));
  if (!parsed.ok) {
    const fields = Object.fromEntries(parsed.errors.map((e) => [e.field, e.message]));
    return apiError(422, "invalid_parameters", `Invalid parameters: ${Object.keys(fields).join(", ")}.`, fields);
  }
  const page = await listDeletionRequests(parsed.params, { pageSize: parsed.params.limit });
  return Response.json(
    { data: { deletion_requests: page.rows.map(deletionRequestJson), next: page.next ?? null, previous: page.previous ?? null } },
    { headers: { "Cache-Control": "no-store" } },
  );
});
