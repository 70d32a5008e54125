import "server-only";
import { verifyPassword } from "better-auth/crypto";
import { headers } from "next/headers";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { appendAudit } from "../audit/append.ts";
import { authorize, type Actor } from "../auth/actor.ts";
import { getAuth } from "../auth/server.ts";
import { getPrisma } from "../db/index.ts";
import type { ChangePasswordInput, SessionIdInput } from "../validations/account.ts";
import type { UserIdInput } from "../validations/users.ts";
import { hashUserPassword } from "./create.ts";
import { UserRuleError } from "./errors.ts";

// One's own account (any signed-in user: account:self) and an admin ending
// another user's sessions. Each change ends in its audit entry, in its transaction.

export interface OwnSession {
  id: string;
  current: boolean;
  createdAt: Date;
  lastActiveAt: Date;
  expiresAt: Date;
  ipAddress: string | null;
  userAgent: string | null;
}

/** The caller's live sessions, the current one first, then newest activity first. */
export async function listOwnSessions(actor: Actor, currentSessionId: string | null, db?: PrismaClient): Promise<OwnSession[]> {
  authorize(actor, "account:self");
  const rows = await (db ?? (await getPrisma())).session.findMany({
    where: { userId: actor.id, expiresAt: { gt: new Date() } },
    orderBy: { lastActiveAt: "desc" },
    select: { id: true, createdAt: true, lastActiveAt: true, expiresAt: true, ipAddress: true, userAgent: true },
  });
  const sessions = rows.map((r) => ({ ...r, current: r.id === currentSessionId }));
  return [...sessions.filter((s) => s.current), ...sessions.filter((s) => !s.current)];
}

/** Ends one of the caller's own sessions (never another user's: the id must be theirs). */
export async function endOwnSession(actor: Actor, input: SessionIdInput, db?: PrismaClient): Promise<{ ended: boolean }> {
  authorize(actor, "account:self");
  return (db ?? (await getPrisma())).$transaction(async (tx) => {
    const { count } = await tx.session.deleteMany({ where: { id: input.sessionId, userId: actor.id } });
    if (count === 0) return { ended: false };
    await appendAudit({ actor, action: "session.end", target: { type: "user", id: actor.id }, summary: { sessions: 1 } }, tx);
    return { ended: true };
  });
}

/**
 * Changes the caller's password after checking the current one, and ends
 * every other session they have (someone who knew the old password is out).
 */
export async function changeOwnPassword(
  actor: Actor,
  input: ChangePasswordInput,
  currentSessionId: string | null,
  db?: PrismaClient,
): Promise<{ otherSessionsEnded: number }> {
  authorize(actor, "account:self");
  const prisma = db ?? (await getPrisma());
  const account = await prisma.account.findFirst({
    where: { userId: actor.id, providerId: "credential" },
    select: { id: true, password: true },
  });
  // scrypt on both paths, so a missing account answers as slowly as a wrong password.
  const matches = await verifyPassword({
    hash: account?.password ?? (await hashUserPassword("no account")),
    password: input.currentPassword,
  });
  if (!account?.password || !matches) throw new UserRuleError("Your current password is not right.", "currentPassword");
  const passwordHash = await hashUserPassword(input.newPassword);
  return prisma.$transaction(async (tx) => {
    await tx.account.update({ where: { id: account.id }, data: { password: passwordHash } });
    const { count } = await tx.session.deleteMany({
      where: { userId: actor.id, ...(currentSessionId ? { id: { not: currentSessionId } } : {}) },
    });
    await appendAudit(
      { actor, action: "user.password_change", target: { type: "user", id: actor.id }, summary: { by: "self", otherSessionsEnded: count } },
      tx,
    );
    return { otherSessionsEnded: count };
  });
}

/** An admin signs a user out everywhere (a lost laptop, a leaver) without deactivating them. */
export async function endUserSessions(actor: Actor, input: UserIdInput, db?: PrismaClient): Promise<{ email: string; ended: number }> {
  authorize(actor, "users:manage");
  return (db ?? (await getPrisma())).$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: input.userId }, select: { id: true, email: true } });
    if (!user) throw new UserRuleError("This user no longer exists.");
    const { count } = await tx.session.deleteMany({ where: { userId: user.id } });
    await appendAudit(
      { actor, action: "user.sessions_end", target: { type: "user", id: user.id }, summary: { email: user.email, ended: count } },
      tx,
    );
    return { email: user.email, ended: count };
  });
}

/** The id of the session this request is signed in with (to mark it, and to keep it when the password changes). */
export async function currentSessionId(): Promise<string | null> {
  const found = await (await getAuth()).api.getSession({ headers: await headers() });
  return found?.session.id ?? null;
}
