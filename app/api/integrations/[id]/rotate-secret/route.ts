import { invalidRequest, requireApiActor, route } from "@/lib/api/http";
import { dataResponse, integrationIdFrom, integrationJson, integrationRefusal, readOptionalJsonBody } from "@/lib/integrations/api";
import { rotateSigningSecret } from "@/lib/integrations/manage";
import { RotateSecretSchema } from "@/lib/validations/integrations";
import { issueFields } from "@/lib/validations/fields";

type Context = { params: Promise<{ id: string }> };

/**
 * POST /api/integrations/{id}/rotate-secret, optionally `{"overlap_hours": 0–168}` (default 24):
 * a new signing secret, in this answer only; the old one keeps signing beside it until the overlap ends.
 */
export const POST = route(async function POST(request: Request, context: Context): Promise<Response> {
  const actor = await requireApiActor(request, "integrations:manage");
  if (actor instanceof Response) return actor;
  const id = await integrationIdFrom(context);
  if (id instanceof Response) return id;
  const body = await readOptionalJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = RotateSecretSchema.safeParse(body.value);
  if (!parsed.success) return invalidRequest(issueFields(parsed.error));
  try {
    const { integration, signingSecret } = await rotateSigningSecret(actor, id, parsed.data);
    return dataResponse({ ...integrationJson(integration, actor), signing_secret: signingSecret });
  } catch (error) {
    const refused = integrationRefusal(error);
    if (refused) return refused;
    throw error;
  }
});
