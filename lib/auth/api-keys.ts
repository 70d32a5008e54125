import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import type { Role } from "./permissions.ts";

// cdk_ + 43 base64url characters (32 random bytes).
const KEY_PATTERN = /^cdk_[A-Za-z0-9_-]{43}$/;
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** Makes a key for a role. The key itself is returned once and stored only as a hash. */
export async function createApiKey(prisma: PrismaClient | Prisma.TransactionClient, input: { name: string; role: Role; createdById: string | null }) {
  const key = `cdk_${randomBytes(32).toString("base64url")}`;
  const row = await prisma.apiKey.create({
    data: { name: input.name, role: input.role, createdById: input.createdById, prefix: key.slice(0, 12), keyHash: sha256(key) },
    select: { id: true, name: true, role: true, prefix: true, createdAt: true },
  });
  return { ...row, key };
}

/** The key behind an Authorization header, or null for a missing, malformed, unknown or revoked key. */
export async function authenticateApiKey(prisma: PrismaClient, authorization: string | null) {
  const key = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!key || !KEY_PATTERN.test(key)) return null;
  const row = await prisma.apiKey.findUnique({ where: { keyHash: sha256(key) } });
  if (!row || row.revokedAt) return null;
  // Last-used to the minute is enough, and spares a write on every request.
  const now = new Date();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await prisma.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return { id: row.id, name: row.name, role: row.role };
}
