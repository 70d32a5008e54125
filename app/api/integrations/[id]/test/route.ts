import { requireApiActor, route } from "@/lib/api/http";
import { dataResponse, integrationIdFrom, integrationRefusal, testResultJson } from "@/lib/integrations/api";
import { sendTestSignal } from "@/lib/integrations/manage";

type Context = { params: Promise<{ id: string }> };

/**
 * POST /api/integrations/{id}/test: sends one signed `integration.test` request now and answers what the
 * endpoint said (200 either way: `delivered` says whether it took it). Takes no body.
 */
export const POST = route(async function POST(request: Request, context: Context): Promise<Response> {
  const actor = await requireApiActor(request, "integrations:manage");
  if (actor instanceof Response) return actor;
  const id = await integrationIdFrom(context);
  if (id instanceof Response) return id;
  try {
    return dataResponse(testResultJson(await sendTestSignal(actor, id)));
  } catch (error) {
    const refused = integrationRefusal(error);
    if (refused) return refused;
    throw error;
  }
});
