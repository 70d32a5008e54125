import { apiError, requireApiActor, route } from "@/lib/api/http";
import { batchResponse } from "@/lib/api/deletion-batches";
import { getDeletionBatch } from "@/lib/deletions/batches";

/** GET /api/deletion-batches/{id}: a bulk deletion's status, counts and progress. Needs deletions:read. */
export const GET = route(async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const actor = await requireApiActor(request, "deletions:read");
  if (actor instanceof Response) return actor;
  const { id } = await params;
  const batch = await getDeletionBatch(id);
  if (!batch) return apiError(404, "not_found", "No bulk deletion with this id.", { id: "No bulk deletion with this id." });
  return batchResponse(batch);
});
