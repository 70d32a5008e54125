import { z } from "zod";
import { PURPOSES, VENDOR_SLUG, type Purpose } from "../consent/purposes.ts";
import { endpointPolicyFromEnv, endpointUrlProblem } from "../delivery/endpoint-policy.ts";
import { DEFAULT_ROTATION_OVERLAP_HOURS, MAX_ROTATION_OVERLAP_HOURS } from "../delivery/signing.ts";
import { text } from "./text.ts";

// What Settings → Integrations and the REST API (/api/integrations) take.
// One set of schemas for both: the actions and the routes validate with
// these, and the OpenAPI document is generated from them. The endpoint's
// form is judged here; whether its host resolves to addresses it may be
// sent to is judged when it is saved (lib/integrations/endpoint.ts).

export const MAX_ENDPOINT_LENGTH = 2048;
export const VENDOR_CANNOT_CHANGE =
  "The vendor cannot change: it is the key under consent.vendors and in the consent history. Add a new integration instead.";

const name = text().trim().min(1, "Name the integration, e.g. “Braze”").max(120, "Keep the name under 120 characters");

const vendor = text()
  .trim()
  .regex(VENDOR_SLUG, "A vendor slug is 1–40 lower-case letters, digits, - and _, starting with a letter or digit");

/**
 * The endpoint as it will be stored: the URL parser's form of what was
 * typed, https (or http to loopback when INTEGRATIONS_ALLOW_PRIVATE=1), no
 * credentials or fragment. The policy is read from the environment at each
 * parse, so tests and the e2e server can set it.
 */
const endpointUrl = text()
  .trim()
  .min(1, "Enter the endpoint's URL, e.g. https://hooks.example.com/consent")
  .max(MAX_ENDPOINT_LENGTH, `Keep the URL under ${MAX_ENDPOINT_LENGTH} characters`)
  .transform((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: "custom", message: "Enter a full URL, e.g. https://hooks.example.com/consent" });
      return z.NEVER;
    }
    const problem = endpointUrlProblem(url, endpointPolicyFromEnv());
    if (problem) {
      ctx.addIssue({ code: "custom", message: `The endpoint ${problem}` });
      return z.NEVER;
    }
    return url.href;
  });

/** The purposes the integration uses, each at most once, in the order PURPOSES lists them. */
const purposes = z
  .array(z.enum(PURPOSES, { message: `Choose from ${PURPOSES.join(", ")}` }), { error: "A list of purposes" })
  .max(PURPOSES.length, `At most ${PURPOSES.length} purposes`)
  .transform((list): Purpose[] => PURPOSES.filter((p) => list.includes(p)));

const enabled = z.boolean({ error: "true (send signals) or false (paused)" });

export const CreateIntegrationSchema = z.strictObject({
  name,
  vendor,
  endpoint_url: endpointUrl,
  purposes: purposes.default([]),
  enabled: enabled.default(true),
});
export type CreateIntegrationInput = z.infer<typeof CreateIntegrationSchema>;

const PATCH_FIELDS = ["name", "endpoint_url", "purposes", "enabled"] as const;

const patchShape = {
  name: name.optional(),
  // Accepted only to be refused by name when it differs (lib/integrations/manage.ts): a client may send back what it read.
  vendor: vendor.optional(),
  endpoint_url: endpointUrl.optional(),
  purposes: purposes.optional(),
  enabled: enabled.optional(),
};

// A vendor alone counts, so that a client trying to change it hears why it cannot.
const atLeastOne = (patch: Partial<Record<(typeof PATCH_FIELDS)[number] | "vendor", unknown>>) =>
  patch.vendor !== undefined || PATCH_FIELDS.some((f) => patch[f] !== undefined);
const atLeastOneMessage = { message: `Send at least one of ${PATCH_FIELDS.join(", ")}`, path: ["body"] };

/** PATCH /api/integrations/{id}: what changes; the rest stays. */
export const UpdateIntegrationSchema = z.strictObject(patchShape).refine(atLeastOne, atLeastOneMessage);
export type UpdateIntegrationInput = z.infer<typeof UpdateIntegrationSchema>;

export const IntegrationIdSchema = z.uuid("Choose an integration from the list");

/** The Edit dialog's action: the integration's id with the patch. */
export const UpdateIntegrationActionSchema = z
  .strictObject({ id: IntegrationIdSchema, ...patchShape })
  .refine(atLeastOne, { ...atLeastOneMessage, path: ["name"] });

/** Pause, resume and "send a test signal": the integration alone. */
export const IntegrationRefSchema = z.strictObject({ id: IntegrationIdSchema });

const overlapHours = z
  .int({ error: `Whole hours from 0 to ${MAX_ROTATION_OVERLAP_HOURS}` })
  .min(0, "Whole hours from 0 (the old secret stops at once)")
  .max(MAX_ROTATION_OVERLAP_HOURS, `At most ${MAX_ROTATION_OVERLAP_HOURS} hours (7 days)`);

/** POST /api/integrations/{id}/rotate-secret: how long the old secret keeps signing beside the new one. */
export const RotateSecretSchema = z.strictObject({ overlap_hours: overlapHours.default(DEFAULT_ROTATION_OVERLAP_HOURS) });
export type RotateSecretInput = z.infer<typeof RotateSecretSchema>;

export const RotateSecretActionSchema = z.strictObject({ id: IntegrationIdSchema, ...RotateSecretSchema.shape });
