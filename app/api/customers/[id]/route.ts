import { route } from "@/lib/api/http";
import { deletionIntake } from "@/lib/deletions/intake";
import { CustomerIdSchema } from "@/lib/customers/profile";

type Context = { params: Promise<{ id: string }> };

/**
 * DELETE /api/customers/{id}, optionally `{"regime": "gdpr" | "ccpa", "reason": "..."}`: erases the customer
 * (by internal id) at once and answers the deletion request, 202 when new, 200 when it was made before.
 */
export const DELETE = route(async function DELETE(request: Request, context: Context): Promise<Response> {
  const parsed = CustomerIdSchema.safeParse((await context.params).id);
  return deletionIntake(request, parsed.success ? { id: parsed.data } : null, "No customer has this id.");
});
