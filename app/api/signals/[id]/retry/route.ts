import { apiError, requireApiActor, route } from "@/lib/api/http";
import { DeliveryRetryError, retrySignal } from "@/lib/delivery/retry";

/**
 * POST /api/signals/{id}/retry: sends a failed signal again under the same
 * id (webhook-id), with a fresh retry schedule. 409 unless it is failed and
 * its integration connected. Takes no body.
 */
export const POST = route(async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const actor = await requireApiActor(request, "deliveries:retry");
  if (actor instanceof Response) return actor;
  const { id } = await params;
  try {
    const retried = await retrySignal(actor, id);
    return Response.json(
      { data: { id, integration_id: retried.integrationId, status: "pending" } },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch (error) {
    if (!(error instanceof DeliveryRetryError)) throw error;
    return apiError(error.status, error.code, error.message, { id: error.message });
  }
});
