import { apiError, requireApiActor, route } from "@/lib/api/http";
import { DeliveryRetryError, retryFailedSignals } from "@/lib/delivery/retry";

/**
 * POST /api/integrations/{id}/retry-failed: sends every failed signal of the
 * integration again (oldest first, up to 1,000 a call; `remaining` says how
 * many are left), each under its own id. 409 while the integration is paused
 * or disabled. Takes no body.
 */
export const POST = route(async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const actor = await requireApiActor(request, "deliveries:retry");
  if (actor instanceof Response) return actor;
  const { id } = await params;
  try {
    const retried = await retryFailedSignals(actor, id);
    return Response.json(
      { data: { integration_id: retried.integrationId, retried: retried.ids.length, ids: retried.ids, remaining: retried.remaining } },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch (error) {
    if (!(error instanceof DeliveryRetryError)) throw error;
    return apiError(error.status, error.code, error.message, { id: error.message });
  }
});
