import { route } from "@/lib/api/http";
import { deletionIntake } from "@/lib/deletions/intake";
import { ExternalIdSchema } from "@/lib/validations/consent";

type Context = { params: Promise<{ id: string }> };

/**
 * DELETE /api/storefront/v1/customers/{externalId}, the source platform's path style: as DELETE /api/customers/{id},
 * by the customer's external id. An external id erased before is recognised through the tombstone (200, its request).
 */
export const DELETE = route(async function DELETE(request: Request, context: Context): Promise<Response> {
  const parsed = ExternalIdSchema.safeParse((await context.params).id);
  return deletionIntake(request, parsed.success ? { externalId: parsed.data } : null, "No customer has this external id.");
});
