import { requireApiActor, route } from "@/lib/api/http";
import { uploadFromRequest } from "@/lib/api/deletion-batches";

/**
 * POST /api/deletion-batches: uploads a bulk deletion, a CSV of external ids
 * or emails, as text/csv (regime, reason, file_name in the query) or as JSON
 * ({"csv": "...", ...}). 201 with the batch; needs customers:delete.
 */
export const POST = route(async function POST(request: Request): Promise<Response> {
  const actor = await requireApiActor(request, "customers:delete");
  if (actor instanceof Response) return actor;
  return uploadFromRequest(request, actor);
});
