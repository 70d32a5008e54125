import { z } from "zod";
import { PURPOSES, VENDOR_SLUG, type Purpose } from "../consent/purposes.ts";
import { decodeTcString, MAX_TC_STRING } from "../consent/tcf.ts";
import { jsonRecord } from "./fields.ts";
import { text } from "./text.ts";
import { EARLIEST_TIME, isoInstant } from "./time.ts";

// The shapes a consent change arrives in: the dashboard's server action and
// the storefront consent API (PRODUCT.md, "The consent API").

const flag = (purpose: Purpose) => z.boolean({ error: `${purpose} must be true or false.` }).optional();

/** A partial set of purposes: each named one true or false, anything else refused by name. */
export const PurposesPatchSchema = z.strictObject(
  Object.fromEntries(PURPOSES.map((p) => [p, flag(p)])) as Record<Purpose, ReturnType<typeof flag>>,
);

export const VendorsPatchSchema = jsonRecord(
  z.string().regex(VENDOR_SLUG, "Vendor slugs are lower-case letters, digits, - and _."),
  z.boolean({ error: "A vendor's consent must be true or false." }),
  "Vendor slugs are lower-case letters, digits, - and _.",
);

export const FIRST_CHANGE_MODES = ["block_unnamed", "keep_allowed"] as const;

export const ConsentChangeInputSchema = z
  .strictObject({
    customerId: z.guid("Not a customer id."),
    expectedVersion: z.int().min(0),
    purposes: PurposesPatchSchema.optional(),
    vendors: VendorsPatchSchema.optional(),
    firstChange: z.enum(FIRST_CHANGE_MODES).optional(),
    reason: text().trim().max(500, "Keep the reason under 500 characters.").optional(),
  })
  .refine((v) => Object.keys(v.purposes ?? {}).length + Object.keys(v.vendors ?? {}).length > 0, {
    message: "Change at least one purpose or vendor.",
    path: ["purposes"],
  });
export type ConsentChangeInput = z.infer<typeof ConsentChangeInputSchema>;

/** Consent given before this, or more than this ahead of the server's clock, is a client's mistake. */
export const EARLIEST_CONSENT = EARLIEST_TIME;
export const CONSENT_CLOCK_SKEW_MS = 5 * 60_000;

/** When the customer gave consent: an ISO date-time with a zone, from 2000 to 5 minutes from now. */
export const ConsentTimestampSchema = isoInstant({
  earliest: EARLIEST_CONSENT,
  earliestMessage: "Must not be before 2000-01-01.",
  maxFutureMs: CONSENT_CLOCK_SKEW_MS,
  futureMessage: "Must not be more than 5 minutes in the future.",
});

/** The consent object of the storefront API, as clients send it in a PATCH. */
export const StorefrontConsentPatchSchema = z
  .strictObject({
    version: z
      .string()
      .regex(/^2(\.\d{1,2})?$/, 'The TCF version: "2.0", "2.2"…')
      .optional(),
    consent_timestamp: ConsentTimestampSchema.nullable().optional(),
    customer_id: text().min(1).max(200).optional(),
    purposes: PurposesPatchSchema.optional(),
    vendors: VendorsPatchSchema.optional(),
    consent_string: z.string().max(MAX_TC_STRING).nullable().optional(),
  })
  // The TC string is decoded once, here: a bad one is refused by name, a good
  // one arrives decoded (`tcf`) to be kept with the record.
  .transform((consent, ctx) => {
    if (typeof consent.consent_string !== "string") return { ...consent, tcf: null };
    const decoded = decodeTcString(consent.consent_string, consent.version);
    if (decoded.ok) return { ...consent, tcf: decoded.tcf };
    ctx.addIssue({ code: "custom", path: ["consent_string"], message: `consent_string ${decoded.message}` });
    return z.NEVER;
  });

export const StorefrontConsentBodySchema = z.strictObject({ consent: StorefrontConsentPatchSchema });
export type StorefrontConsentBody = z.infer<typeof StorefrontConsentBodySchema>;

/** The answer's consent object (GET and PATCH). */
export const StorefrontConsentSchema = z.object({
  version: z.string(),
  consent_timestamp: z.string().nullable(),
  customer_id: z.string(),
  purposes: z.object(Object.fromEntries(PURPOSES.map((p) => [p, z.boolean()])) as Record<Purpose, z.ZodBoolean>),
  vendors: z.record(z.string(), z.boolean()),
  consent_string: z.string().nullable(),
});
export const StorefrontConsentResponseSchema = z.object({ data: z.object({ consent: StorefrontConsentSchema }) });

/** An external id in the path: what customers.external_id may hold. */
export const ExternalIdSchema = text().min(1).max(200);

/** `If-Match: "3"`, `W/"3"` or `3`: the record version the client read (0: not recorded). */
export function parseIfMatch(header: string | null): { ok: true; version?: number } | { ok: false } {
  if (header === null) return { ok: true };
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  return match ? { ok: true, version: Number(match[1]) } : { ok: false };
}
