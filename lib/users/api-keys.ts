import "server-only";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { appendAudit } from "../audit/append.ts";
import { authorize, type Actor } from "../auth/actor.ts";
import { createApiKey, forgetApiKey } from "../auth/api-keys.ts";
import type { ApiKeyIdInput, CreateApiKeyInput } from "../validations/api-keys.ts";
import { UserRuleError } from "./errors.ts";

// The domain side of Settings → API keys. The key and its audit entry commit
// together; the entry names the key by id, name, role and prefix, never the key.

const target = (id: string) => ({ type: "api_key", id });

/** Makes a key for a role. The key itself is in the result once and stored only as a hash. */
export async function issueApiKey(prisma: PrismaClient, actor: Actor, input: CreateApiKeyInput) {
  authorize(actor, "api_keys:manage");
  return prisma.$transaction(async (tx) => {
    // In the transaction, so the key and its entry commit or roll back as one.
    const key = await createApiKey(tx, { name: input.name, role: input.role, createdById: actor.kind === "user" ? actor.id : null });
    await appendAudit(tx, {
      actor,
      action: "api_key.create",
      target: target(key.id),
      summary: { name: key.name, role: key.role, prefix: key.prefix },
    });
    return key;
  });
}

/** Refuses the key from now on: the next request with it answers 401. Revoking twice changes nothing. */
export async function revokeApiKey(prisma: PrismaClient, actor: Actor, input: ApiKeyIdInput) {
  authorize(actor, "api_keys:manage");
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
    await appendAudit(tx, {
      actor,
      action: "api_key.revoke",
      target: target(key.id),
      summary: { name: key.name, role: key.role, prefix: key.prefix },
    });
    return { key: revoked, changed: true };
  });
  // After the commit (a rolled-back revocation leaves the key working): authentication caches keys (lib/auth/api-keys.ts).
  forgetApiKey(prisma, result.key.id);
  return result;
}
