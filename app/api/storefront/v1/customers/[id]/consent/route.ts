import { apiError, customerErased, invalidRequest, readJsonBody, requireApiActor, route } from "@/lib/api/http";
import { changeConsent, getConsent } from "@/lib/consent/change";
import { ConsentConflictError, ConsentInputError, ConsentNotFoundError } from "@/lib/consent/errors";
import type { ConsentRecord } from "@/lib/consent/record";
import { CustomerErasedError } from "@/lib/deletions/errors";
import { storefrontPatch, toStorefrontConsent } from "@/lib/consent/storefront";
import { ExternalIdSchema, parseIfMatch, StorefrontConsentBodySchema } from "@/lib/validations/consent";
import { issueFields } from "@/lib/validations/fields";

// The source platform's consent API (PRODUCT.md, "The consent API"): {id} is
// the customer's external id. The record's version travels as the ETag; a
// PATCH may send it back in If-Match to refuse a change over someone else's.

type Context = { params: Promise<{ id: string }> };

const MAX_BODY = 64 * 1024;

function answer(record: ConsentRecord, status = 200): Response {
  return Response.json(
    { data: { consent: toStorefrontConsent(record) } },
    { status, headers: { ETag: `"${record.version}"`, "Cache-Control": "no-store" } },
  );
}

function notFound(): Response {
  return apiError(404, "not_found", "No customer with this id.", { id: "No customer has this external id." });
}

async function externalId(context: Context): Promise<string | null> {
  const parsed = ExternalIdSchema.safeParse((await context.params).id);
  return parsed.success ? parsed.data : null;
}

/** GET: the stored consent, or the defaults (every purpose true) when none is recorded. */
export const GET = route(async function GET(request: Request, context: Context): Promise<Response> {
  const actor = await requireApiActor(request, "customers:read");
  if (actor instanceof Response) return actor;
  const id = await externalId(context);
  try {
    const record = id === null ? null : await getConsent({ externalId: id });
    return record ? answer(record) : notFound();
  } catch (error) {
    if (error instanceof CustomerErasedError) return customerErased();
    throw error;
  }
});

/** PATCH: the named purposes and vendors change, the others keep their value (rule 4). */
export const PATCH = route(async function PATCH(request: Request, context: Context): Promise<Response> {
  const actor = await requireApiActor(request, "consent:write");
  if (actor instanceof Response) return actor;
  const id = await externalId(context);
  if (id === null) return notFound();

  const ifMatch = parseIfMatch(request.headers.get("if-match"));
  if (!ifMatch.ok) return invalidRequest({ "If-Match": 'The record version the client read, e.g. "3".' }, 400);
  const body = await readJsonBody(request, MAX_BODY);
  if (!body.ok) return body.response;
  const parsed = StorefrontConsentBodySchema.safeParse(body.value);
  if (!parsed.success) return invalidRequest(issueFields(parsed.error));
  const { consent } = parsed.data;
  if (consent.customer_id !== undefined && consent.customer_id !== id) {
    return invalidRequest({ "consent.customer_id": "Must match the id in the path." });
  }

  try {
    const result = await changeConsent({
      customer: { externalId: id },
      patch: storefrontPatch(parsed.data),
      expectedVersion: ifMatch.version,
      source: "api",
      actor,
      reason: request.headers.get("x-consent-reason")?.slice(0, 500) || null,
    });
    return answer(result.consent);
  } catch (error) {
    if (error instanceof ConsentNotFoundError) return notFound();
    if (error instanceof CustomerErasedError) return customerErased();
    if (error instanceof ConsentConflictError) {
      return apiError(
        409,
        "conflict",
        error.message,
        { "If-Match": `The record is at version ${error.current.version}.` },
        {
          current: toStorefrontConsent(error.current),
          current_version: error.current.version,
        },
      );
    }
    if (error instanceof ConsentInputError) {
      return invalidRequest(Object.fromEntries(Object.entries(error.fields).map(([k, v]) => [`consent.${k}`, v])));
    }
    throw error;
  }
});
