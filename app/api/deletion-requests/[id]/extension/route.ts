import { invalidRequest, readJsonBody, requireApiActor, route } from "@/lib/api/http";
import { deletionRefusal, deletionRequestIdFrom, MAX_EXTENSION_BODY } from "@/lib/api/deletion-requests";
import { extendDeletion } from "@/lib/deletions/extend";
import { ExtendDeletionBodySchema } from "@/lib/validations/deletion-requests";
import { issueFields } from "@/lib/validations/fields";

type Context = { params: Promise<{ id: string }> };

/**
 * POST /api/deletion-requests/{id}/extension `{"extension": n, "reason": "..."}`: extends the deadline to n
 * months (GDPR, up to 2) or days (CCPA, up to 45) beyond the first, counted from receipt. Written to the audit log.
 */
export const POST = route(async function POST(request: Request, context: Context): Promise<Response> {
  const actor = await requireApiActor(request, "customers:delete");
  if (actor instanceof Response) return actor;
  const id = await deletionRequestIdFrom(context);
  if (id instanceof Response) return id;
  const body = await readJsonBody(request, MAX_EXTENSION_BODY);
  if (!body.ok) return body.response;
  const parsed = ExtendDeletionBodySchema.safeParse(body.value);
  if (!parsed.success) return invalidRequest(issueFields(parsed.error));
  try {
    const extended = await extendDeletion(actor, id, parsed.data);
    return Response.json(
      {
        data: {
          id: extended.id,
          regime: extended.regime,
          extension: extended.extension,
          extension_unit: extended.unit,
          due_at: extended.dueAt.toISOString(),
          previous_due_at: extended.previousDueAt.toISOString(),
        },
      },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch (error) {
    const refused = deletionRefusal(error);
    if (refused) return refused;
    throw error;
  }
});
