import { requireApiActor, route } from "@/lib/api/http";
import { batchError, batchResponse } from "@/lib/api/deletion-batches";
import { getDeletionBatch } from "@/lib/deletions/batches";
import { approveDeletionBatch } from "@/lib/deletions/bulk";

/** POST /api/deletion-batches/{id}/approve: Approves a bulk deletion waiting for approval; not by its uploader (409). Needs customers:delete. Takes no body. */
export const POST = route(async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const actor = await requireApiActor(request, "customers:delete");
  if (actor instanceof Response) return actor;
  const { id } = await params;
  try {
    await approveDeletionBatch(id, actor);
  } catch (error) {
    const refused = batchError(error);
    if (refused) return refused;
    throw error;
  }
  return batchResponse((await getDeletionBatch(id))!);
});
