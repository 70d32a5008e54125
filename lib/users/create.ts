import { hashPassword } from "better-auth/crypto";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import type { Role } from "../auth/permissions.ts";
// client.ts, not lib/db/index.ts: seeds run this outside the react-server graph, where "server-only" throws.
import { getPrisma } from "../db/client.ts";

export interface NewUser {
  id?: string;
  email: string;
  name: string;
  role: Role;
  password: string;
}

/** better-auth's scrypt hash, the form sign-in checks against. Slow on purpose: hash before a transaction opens. */
export const hashUserPassword = (password: string): Promise<string> => hashPassword(password);

/**
 * Inserts the user row and better-auth's credential account (provider
 * "credential", account id = user id) inside the caller's transaction, so
 * the caller can append its audit entry to the same one.
 */
export async function insertUserWithPasswordHash(
  input: Omit<NewUser, "password"> & { passwordHash: string },
  tx: Prisma.TransactionClient,
) {
  const created = await tx.user.create({
    data: { ...(input.id ? { id: input.id } : {}), email: input.email, name: input.name, role: input.role, emailVerified: true },
    select: { id: true, email: true, name: true, role: true },
  });
  await tx.account.create({ data: { userId: created.id, accountId: created.id, providerId: "credential", password: input.passwordHash } });
  return created;
}

/**
 * Creates a user who can sign in with email and password, the password
 * stored as better-auth's scrypt hash. Idempotent on email (seeds and the
 * CLI rely on that); the settings page uses lib/users/manage.ts instead.
 */
export async function createUserWithPassword(input: NewUser, db?: PrismaClient) {
  const prisma = db ?? (await getPrisma());
  const email = input.email.trim().toLowerCase();
  const existing = await prisma.user.findUnique({ where: { email }, select: { id: true, role: true } });
  if (existing) return { id: existing.id, created: false };
  const passwordHash = await hashUserPassword(input.password);
  const user = await prisma.$transaction((tx) => insertUserWithPasswordHash({ ...input, email, passwordHash }, tx));
  return { id: user.id, created: true };
}
