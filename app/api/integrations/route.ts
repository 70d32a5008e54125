import { invalidRequest, readJsonBody, requireApiActor, route } from "@/lib/api/http";
import { dataResponse, integrationJson, integrationRefusal, MAX_INTEGRATION_BODY } from "@/lib/integrations/api";
import { createIntegration, listIntegrations } from "@/lib/integrations/manage";
import { CreateIntegrationSchema } from "@/lib/validations/integrations";
import { issueFields } from "@/lib/validations/fields";

/**
 * GET /api/integrations: every integration, by name; never a signing secret. A read, so any role that reads
 * integrations; the endpoint's query-string values are masked for those who do not manage them.
 */
export const GET = route(async function GET(request: Request): Promise<Response> {
  const actor = await requireApiActor(request, "integrations:read");
  if (actor instanceof Response) return actor;
  return dataResponse((await listIntegrations()).map((integration) => integrationJson(integration, actor)));
});

/** POST /api/integrations: adds one; the answer holds its signing secret, the only time it is shown. */
export const POST = route(async function POST(request: Request): Promise<Response> {
  const actor = await requireApiActor(request, "integrations:manage");
  if (actor instanceof Response) return actor;
  const body = await readJsonBody(request, MAX_INTEGRATION_BODY);
  if (!body.ok) return body.response;
  const parsed = CreateIntegrationSchema.safeParse(body.value);
  if (!parsed.success) return invalidRequest(issueFields(parsed.error));
  try {
    const { integration, signingSecret } = await createIntegration(actor, parsed.data);
    return dataResponse({ ...integrationJson(integration, actor), signing_secret: signingSecret }, 201);
  } catch (error) {
    const refused = integrationRefusal(error);
    if (refused) return refused;
    throw error;
  }
});
