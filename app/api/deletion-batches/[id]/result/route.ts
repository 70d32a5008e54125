import { apiError, requireApiActor, route } from "@/lib/api/http";
import { deletionBatchResultCsv } from "@/lib/deletions/batches";

/** GET /api/deletion-batches/{id}/result: each row's outcome as CSV (row, outcome, request_id, message). Needs deletions:read. */
export const GET = route(async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const actor = await requireApiActor(request, "deletions:read");
  if (actor instanceof Response) return actor;
  const { id } = await params;
  const csv = await deletionBatchResultCsv(id);
  if (csv === null) return apiError(404, "not_found", "No bulk deletion with this id.", { id: "No bulk deletion with this id." });
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="bulk-deletion-${id}-result.csv"`,
      "Cache-Control": "no-store",
    },
  });
});
