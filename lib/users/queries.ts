import "server-only";
import { getPrisma } from "../db/index.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";

// Staff users and API keys number in the tens, so the settings page lists
// them whole; only the fields the tables show are read (never a key hash).

export async function listUsers(db?: PrismaClient) {
  return (db ?? (await getPrisma())).user.findMany({
    select: { id: true, name: true, email: true, role: true, deactivatedAt: true, createdAt: true },
    orderBy: [{ name: "asc" }, { email: "asc" }],
  });
}
export type UserListItem = Awaited<ReturnType<typeof listUsers>>[number];

export async function listApiKeys(db?: PrismaClient) {
  return (db ?? (await getPrisma())).apiKey.findMany({
    select: {
      id: true,
      name: true,
      role: true,
      prefix: true,
      createdAt: true,
      lastUsedAt: true,
      revokedAt: true,
      createdBy: { select: { name: true, email: true } },
    },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
  });
}
export type ApiKeyListItem = Awaited<ReturnType<typeof listApiKeys>>[number];
