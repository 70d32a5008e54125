import { requireApiActor, route } from "@/lib/api/http";
import { deletionRequestDetailJson, deletionRequestIdFrom, deletionRequestNotFound } from "@/lib/api/deletion-requests";
import { getDeletionRequest } from "@/lib/deletions/queries";

type Context = { params: Promise<{ id: string }> };

/** GET /api/deletion-requests/{id}: the request's status, deadline and each integration's delivery of its delete signal. */
export const GET = route(async function GET(request: Request, context: Context): Promise<Response> {
  const actor = await requireApiActor(request, "deletions:read");
  if (actor instanceof Response) return actor;
  const id = await deletionRequestIdFrom(context);
  if (id instanceof Response) return id;
  const detail = await getDeletionRequest(id);
  if (!detail) return deletionRequestNotFound();
  return Response.json({ data: deletionRequestDetailJson(detail) }, { headers: { "Cache-Control": "no-store" } });
});
