import "server-only";
import { randomBytes } from "node:crypto";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import { appendAudit, type AuditAction, type AuditEntryInput, type AuditSummary } from "../audit/append.ts";
import { getPrisma } from "../db/index.ts";
import { authorize, type Actor } from "../auth/actor.ts";
import type { ChangeUserRoleInput, CreateUserInput, UserIdInput } from "../validations/users.ts";
import { hashUserPassword, insertUserWithPasswordHash } from "./create.ts";
import { DUPLICATE_EMAIL_MESSAGE, LAST_ADMIN_MESSAGE, translateDatabaseError, UserRuleError } from "./errors.ts";

// The domain side of Settings → Users. Each change is one transaction whose
// last statement is its audit entry, so a refused or failed change leaves
// none. Each re-checks the permission: an action or a future API route may
// call these, and the rule should live once.

const USER_FIELDS = { id: true, name: true, email: true, role: true, deactivatedAt: true } as const;
export type ManagedUser = Prisma.UserGetPayload<{ select: typeof USER_FIELDS }>;
export type UserChange = { user: ManagedUser; changed: boolean };

/** A change to `user`, as its audit entry: the user by id, and the email every summary starts with. */
function userEntry(actor: Actor, action: AuditAction, user: { id: string; email: string }, summary: AuditSummary): AuditEntryInput {
  return { actor, action, target: { type: "user", id: user.id }, summary: { email: user.email, ...summary } };
}

/** 24 base64url characters (144 random bits): far above the 12-character minimum. */
export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}

/** Runs `work` in a transaction, with the database's backstops turned into the rules' own messages. */
async function inTransaction<T>(db: PrismaClient | undefined, work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  try {
    return await (db ?? (await getPrisma())).$transaction(work);
  } catch (error) {
    throw translateDatabaseError(error);
  }
}

async function findUser(tx: Prisma.TransactionClient, userId: string): Promise<ManagedUser> {
  const user = await tx.user.findUnique({ where: { id: userId }, select: USER_FIELDS });
  if (!user) throw new UserRuleError("This user no longer exists.");
  return user;
}

/**
 * Refuses a change that takes `user` out of the active admins when nobody
 * else is one. Two such changes at once can both pass this read; the
 * users_keep_an_admin trigger then fails the later one (see errors.ts).
 */
async function keepAnAdmin(tx: Prisma.TransactionClient, user: ManagedUser): Promise<void> {
  if (user.role !== "admin" || user.deactivatedAt) return;
  const others = await tx.user.count({ where: { role: "admin", deactivatedAt: null, id: { not: user.id } } });
  if (others === 0) throw new UserRuleError(LAST_ADMIN_MESSAGE);
}

/** Creates a user with a set or generated initial password; a generated one is returned, once. */
export async function createUser(actor: Actor, input: CreateUserInput, db?: PrismaClient) {
  authorize(actor, "users:manage");
  const prisma = db ?? (await getPrisma());
  const taken = await prisma.user.findUnique({ where: { email: input.email }, select: { id: true } });
  if (taken) throw new UserRuleError(DUPLICATE_EMAIL_MESSAGE, "email");
  const password = input.passwordMode === "generate" ? generatePassword() : input.password;
  // scrypt is slow on purpose: hash before the transaction takes any lock.
  const passwordHash = await hashUserPassword(password);
  const user = await inTransaction(prisma, async (tx) => {
    const created = await insertUserWithPasswordHash({ email: input.email, name: input.name, role: input.role, passwordHash }, tx);
    // How the password was chosen, never the password itself.
    const passwordSource = input.passwordMode === "generate" ? "generated" : "set by admin";
    await appendAudit(userEntry(actor, "user.create", created, { name: created.name, role: created.role, passwordSource }), tx);
    return created;
  });
  return { user, generatedPassword: input.passwordMode === "generate" ? password : null };
}

/** Gives a user another role. Takes effect on their next request: sessions read the role afresh. */
export async function changeUserRole(actor: Actor, input: ChangeUserRoleInput, db?: PrismaClient): Promise<UserChange> {
  authorize(actor, "users:manage");
  return inTransaction(db, async (tx) => {
    const user = await findUser(tx, input.userId);
    if (user.role === input.role) return { user, changed: false };
    if (input.role !== "admin") await keepAnAdmin(tx, user);
    const updated = await tx.user.update({ where: { id: user.id }, data: { role: input.role }, select: USER_FIELDS });
    await appendAudit(userEntry(actor, "user.role_change", user, { before: { role: user.role }, after: { role: updated.role } }), tx);
    return { user: updated, changed: true };
  });
}

/** Refuses sign-in from now on and ends every session the user has, so they are signed out at once. */
export async function deactivateUser(actor: Actor, input: UserIdInput, db?: PrismaClient): Promise<UserChange> {
  authorize(actor, "users:manage");
  if (actor.kind === "user" && actor.id === input.userId) {
    throw new UserRuleError("You cannot deactivate yourself. Ask another admin to do it.");
  }
  return inTransaction(db, async (tx) => {
    const user = await findUser(tx, input.userId);
    if (user.deactivatedAt) return { user, changed: false };
    await keepAnAdmin(tx, user);
    const updated = await tx.user.update({ where: { id: user.id }, data: { deactivatedAt: new Date() }, select: USER_FIELDS });
    const sessions = await tx.session.deleteMany({ where: { userId: user.id } });
    await appendAudit(userEntry(actor, "user.deactivate", user, { role: user.role, sessionsEnded: sessions.count }), tx);
    return { user: updated, changed: true };
  });
}

/** Lets a deactivated user sign in again, with the role they had. */
export async function reactivateUser(actor: Actor, input: UserIdInput, db?: PrismaClient): Promise<UserChange> {
  authorize(actor, "users:manage");
  return inTransaction(db, async (tx) => {
    const user = await findUser(tx, input.userId);
    if (!user.deactivatedAt) return { user, changed: false };
    const updated = await tx.user.update({ where: { id: user.id }, data: { deactivatedAt: null }, select: USER_FIELDS });
    await appendAudit(userEntry(actor, "user.reactivate", user, { role: user.role }), tx);
    return { user: updated, changed: true };
  });
}
