import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

// Standard Webhooks signing (https://www.standardwebhooks.com): a secret is
// `whsec_` + base64 of its key bytes; a request carries webhook-id,
// webhook-timestamp (seconds) and webhook-signature, `v1,` + base64
// HMAC-SHA256 over `${id}.${timestamp}.${body}` with the key bytes, one per
// secret in effect, space-separated. Pure but for the secret's randomness.

const PREFIX = "whsec_";
/** Key bytes of a new secret (the issue asks for at least 24). */
export const SECRET_BYTES = 32;
const MIN_SECRET_BYTES = 24;

export function generateSigningSecret(): string {
  return PREFIX + randomBytes(SECRET_BYTES).toString("base64");
}

/** A secret's key bytes; throws on a secret that is not `whsec_` + base64 of at least 24 bytes. */
export function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : "";
  const key = Buffer.from(encoded, "base64");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || key.length < MIN_SECRET_BYTES) throw new Error("not a whsec_ signing secret");
  return key;
}

export function sign(secret: string, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac("sha256", secretKey(secret)).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

export interface SignedHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

/** The three headers for one request; `secrets` in order (the current one first). */
export function signatureHeaders(input: { id: string; timestamp: number; body: string; secrets: readonly string[] }): SignedHeaders {
  if (input.secrets.length === 0) throw new Error("no signing secret");
  return {
    "webhook-id": input.id,
    "webhook-timestamp": String(input.timestamp),
    "webhook-signature": input.secrets.map((s) => sign(s, input.id, input.timestamp, input.body)).join(" "),
  };
}

/** The secrets that sign at `now`: the current one, and the previous one until its overlap ends. */
export function secretsInEffect(
  integration: { signingSecret: string; previousSecret: string | null; previousSecretExpiresAt: Date | null },
  now: Date,
): string[] {
  const previous =
    integration.previousSecret && integration.previousSecretExpiresAt && integration.previousSecretExpiresAt > now
      ? [integration.previousSecret]
      : [];
  return [integration.signingSecret, ...previous];
}

/** How long the previous secret keeps signing after a rotation, unless the admin picks otherwise. */
export const DEFAULT_ROTATION_OVERLAP_HOURS = 24;
export const MAX_ROTATION_OVERLAP_HOURS = 7 * 24;

/** Whether `header` holds a valid v1 signature by `secret` (what a receiver checks; the tests use the standardwebhooks package instead). */
export function verifies(secret: string, id: string, timestamp: number, body: string, header: string): boolean {
  const expected = Buffer.from(sign(secret, id, timestamp, body));
  return header.split(" ").some((part) => {
    const given = Buffer.from(part);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
