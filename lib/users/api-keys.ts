import "server-only";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { appendAudit, type AuditAction, type AuditEntryInput } from "../audit/append.ts";
import { authorize, type Actor } from "../auth/actor.ts";
import { createApiKey, forgetApiKey } from "../auth/api-keys.ts";
import { getPrisma } from "../db/index.ts";
import type { ApiKeyIdInput, CreateApiKeyInput } from "../validations/api-keys.ts";
import { UserRuleError } from "./errors.ts";

// The domain side of Settings → API keys. The key and its audit entry commit
// together; the entry names the key by id, name, role and prefix, never the key.

type KeyFields = { id: string; name: string; role: string; prefix: string };
const keyEntry = (actor: Actor, action: AuditAction, key: KeyFields): AuditEntryInput => ({
  actor,
  action,
  target: { type: "api_key", id: key.id },
  summary: { name: key.name, role: key.role, prefix: key.prefix },
});

/** Makes a key for a role. The key itself is in the result once and stored only as a hash. */
export async function issueApiKey(actor: Actor, input: CreateApiKeyInput, db?: PrismaClient) {
  authorize(actor, "api_keys:manage");
  return (db ?? (await getPrisma())).$transaction(async (tx) => {
    // In the transaction, so the key and its entry commit or roll back as one.
    const key = await createApiKey({ name: input.name, role: input.role, createdById: actor.kind === "user" ? actor.id : null }, tx);
    await appendAudit(keyEntry(actor, "api_key.create", key), tx);
    return key;
  });
}

/** Refuses the key from now on: the next request with it answers 401. Revoking twice changes nothing. */
export async function revokeApiKey(actor: Actor, input: ApiKeyIdInput, db?: PrismaClient) {
  authorize(actor, "api_keys:manage");
  // A client, not a transaction: the key is forgotten only once the revocation has committed.
  const prisma = db ?? (await getPrisma());
  const result = await prisma.$transaction(async (tx) => {
    const key = await tx.apiKey.findUnique({
      where: { id: input.keyId },
      select: { id: true, name: true, role: true, prefix: true, revokedAt: true },
    });
    if (!key) throw new UserRuleError("This key no longer exists.");
    if (key.revokedAt) return { key, changed: false };
    const revoked = await tx.apiKey.update({
      where: { id: key.id },
      data: { revokedAt: new Date() },
      select: { id: true, name: true, role: true, prefix: true, revokedAt: true },
    });
    await appendAudit(keyEntry(actor, "api_key.revoke", key), tx);
    return { key: revoked, changed: true };
  });
  // After the commit (a rolled-back revocation leaves the key working): authentication caches keys (lib/auth/api-keys.ts).
  await forgetApiKey(result.key.id, prisma);
  return result;
}
