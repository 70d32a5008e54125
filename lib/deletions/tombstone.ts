import { createHmac } from "node:crypto";
import { serverSecret } from "../auth/secret.ts";
import type { HashedSubjects } from "./free-text.ts";
import { nameForms } from "./free-text-names.ts";

// The tombstone's keyed hashes. HMAC-SHA256 under a server secret
// (TOMBSTONE_SECRET, configured like BETTER_AUTH_SECRET): without the secret
// a hash cannot be tested against a list of emails, and the same identifier
// always gives the same hash, so a repeated request, or an erased external id
// or email arriving again, is recognised.

export const IDENTIFIER_KINDS = ["external_id", "email", "phone"] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

export const HASH_PREFIX = "hmac-sha256:";

/** The one stored form of each identifier: emails lower-cased, phones as + and digits, external ids as given. */
export function normaliseIdentifier(kind: IdentifierKind, value: string): string {
  const trimmed = value.trim();
  if (kind === "email") return trimmed.toLowerCase();
  if (kind === "phone") return (trimmed.startsWith("+") ? "+" : "") + trimmed.replace(/\D/g, "");
  return trimmed;
}

let cached: { from: string | undefined; secret: string } | null = null;

/** TOMBSTONE_SECRET, or the checkout's .data/tombstone-secret; read once per process (again only if the variable changes). */
export function tombstoneSecret(): string {
  const from = process.env.TOMBSTONE_SECRET;
  if (cached === null || cached.from !== from) cached = { from, secret: serverSecret("TOMBSTONE_SECRET", "tombstone-secret") };
  return cached.secret;
}

/** `hmac-sha256:<hex>` of the kind and the normalised value. */
export function identifierHash(kind: IdentifierKind, value: string, secret: string = tombstoneSecret()): string {
  return (
    HASH_PREFIX +
    createHmac("sha256", secret)
      .update(`${kind}:${normaliseIdentifier(kind, value)}`)
      .digest("hex")
  );
}

export interface TombstoneHashes {
  external_id_hash: string | null;
  email_hash: string | null;
  phone_hash: string | null;
}

export function tombstoneHashes(
  customer: { external_id: string | null; email: string | null; phone: string | null },
  secret: string = tombstoneSecret(),
): TombstoneHashes {
  const hash = (kind: IdentifierKind, value: string | null) => (value ? identifierHash(kind, value, secret) : null);
  return {
    external_id_hash: hash("external_id", customer.external_id),
    email_hash: hash("email", customer.email),
    phone_hash: hash("phone", customer.phone),
  };
}

/** `hmac-sha256:<hex>` of one folded form of a part of a name (free-text-names.ts nameForms). */
export function namePartHash(foldedPart: string, secret: string = tombstoneSecret()): string {
  return HASH_PREFIX + createHmac("sha256", secret).update(`name:${foldedPart}`).digest("hex");
}

/** The tombstone's hashes of every form of every part of a name: an erased person's name typed later into free text is still recognised. */
export function nameHashes(name: string | null, secret: string = tombstoneSecret()): string[] {
  return [...new Set(nameForms(name).map((part) => namePartHash(part, secret)))];
}

/** Erased people as free-text.ts recognises them: by their tombstones' external id and name hashes. */
export function hashedSubjects(
  tombstones: ReadonlyArray<{ external_id_hash: string | null; name_hashes: readonly string[] | null }>,
  secret: string = tombstoneSecret(),
): HashedSubjects {
  return {
    externalIdHash: (value) => identifierHash("external_id", value, secret),
    namePartHash: (part) => namePartHash(part, secret),
    people: tombstones.map((t) => ({ externalIdHash: t.external_id_hash, nameHashes: t.name_hashes ?? [] })),
  };
}
