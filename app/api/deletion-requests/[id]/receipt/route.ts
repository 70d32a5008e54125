import { apiError, requireApiActor, route } from "@/lib/api/http";
import { deletionRequestIdFrom, deletionRequestNotFound } from "@/lib/api/deletion-requests";
import { getDeletionReceipt } from "@/lib/deletions/queries";
import { parseReceiptApiParams } from "@/lib/validations/deletion-requests";
import { searchParamsOf } from "@/lib/validations/search-params";

type Context = { params: Promise<{ id: string }> };

/**
 * GET /api/deletion-requests/{id}/receipt: the proof of deletion, with no personal data. `?download=1`
 * answers it as an attachment (the receipt page's "Download JSON").
 */
export const GET = route(async function GET(request: Request, context: Context): Promise<Response> {
  const actor = await requireApiActor(request, "deletions:read");
  if (actor instanceof Response) return actor;
  const parsed = parseReceiptApiParams(searchParamsOf(new URL(request.url)));
  if (!parsed.ok) {
    const fields = Object.fromEntries(parsed.errors.map((e) => [e.field, e.message]));
    return apiError(422, "invalid_parameters", `Invalid parameters: ${Object.keys(fields).join(", ")}.`, fields);
  }
  const id = await deletionRequestIdFrom(context);
  if (id instanceof Response) return id;
  const receipt = await getDeletionReceipt(id);
  if (!receipt) return deletionRequestNotFound();
  return new Response(JSON.stringify({ data: receipt }, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Cache-Control": "no-store",
      ...(parsed.download ? { "Content-Disposition": `attachment; filename="deletion-receipt-${receipt.request_id}.json"` } : {}),
    },
  });
});
