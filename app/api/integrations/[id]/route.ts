import { invalidRequest, readJsonBody, requireApiActor, route } from "@/lib/api/http";
import { dataResponse, integrationIdFrom, integrationJson, integrationRefusal, MAX_INTEGRATION_BODY } from "@/lib/integrations/api";
import { updateIntegration } from "@/lib/integrations/manage";
import { UpdateIntegrationSchema } from "@/lib/validations/integrations";
import { issueFields } from "@/lib/validations/fields";

type Context = { params: Promise<{ id: string }> };

/** PATCH /api/integrations/{id}: name, endpoint_url, purposes, enabled; what it leaves out stays. The vendor never changes. */
export const PATCH = route(async function PATCH(request: Request, context: Context): Promise<Response> {
  const actor = await requireApiActor(request, "integrations:manage");
  if (actor instanceof Response) return actor;
  const id = await integrationIdFrom(context);
  if (id instanceof Response) return id;
  const body = await readJsonBody(request, MAX_INTEGRATION_BODY);
  if (!body.ok) return body.response;
  const parsed = UpdateIntegrationSchema.safeParse(body.value);
  if (!parsed.success) return invalidRequest(issueFields(parsed.error));
  try {
    const { integration } = await updateIntegration(actor, id, parsed.data);
    return dataResponse(integrationJson(integration, actor));
  } catch (error) {
    const refused = integrationRefusal(error);
    if (refused) return refused;
    throw error;
  }
});
