import { z } from "zod";
import { MAX_DELETION_REASON } from "../deletions/confirmation.ts";
import { REGIMES } from "../deletions/deadlines.ts";
import { text } from "./text.ts";

// What a deletion takes, from the profile's dialog (deleteCustomer) and from
// the REST intake (DELETE /api/customers/{id}, DELETE
// /api/storefront/v1/customers/{externalId}). The OpenAPI document is
// generated from the body schema.

const regime = z.enum(REGIMES, "Choose GDPR or CCPA (gdpr or ccpa)");
const reason = text()
  .trim()
  .max(MAX_DELETION_REASON, `Keep the reason to at most ${MAX_DELETION_REASON.toLocaleString("en")} characters`);

/** A form's select or text box left empty sends ""; that means "not given". */
const blankIsUndefined = (value: unknown) => (value === "" ? undefined : value);

/** The dialog: which customer, what the person typed to confirm, and optionally the regime and why. */
export const DeleteCustomerSchema = z.object({
  // guid, not uuid: seeded and imported customers have ids of any version (md5(...)::uuid).
  customerId: z.guid("Choose a customer from the directory"),
  confirmation: text()
    .trim()
    .min(1, "Type the customer's email or external id to confirm")
    .max(400, "Type the customer's email or external id to confirm"),
  regime: z.preprocess(blankIsUndefined, regime.optional()),
  reason: z.preprocess(blankIsUndefined, reason.optional()),
});

/** The REST intake's optional body: `{}` or nothing at all is a request under the default regime. */
export const DeletionRequestBodySchema = z.strictObject({
  regime: regime.optional().describe("The law the request is made under; its deadline follows (GDPR one calendar month, CCPA 45 days)."),
  reason: reason.optional().describe("Why, as the requester said it; kept with the request as its record."),
});
