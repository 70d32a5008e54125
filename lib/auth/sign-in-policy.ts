import { getPrisma, type Db } from "../db/index.ts";

/** Sessions end 12 hours after sign-in, or after 30 idle minutes, whichever is first. */
export const SESSION_MAX_SECONDS = Number(process.env.SESSION_MAX_HOURS ?? 12) * 3600;
export const SESSION_IDLE_SECONDS = Number(process.env.SESSION_IDLE_MINUTES ?? 30) * 60;

export const LOCKOUT_WINDOW_MINUTES = 15;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_IP = 20;

export type Lockout = { reason: "account" | "ip"; message: string };

/** Refuses sign-in after too many recent failures for the account or from the IP. */
export async function signInLockout(email: string, ip: string | null, db?: Db): Promise<Lockout | null> {
  const prisma = db ?? (await getPrisma());
  const since = new Date(Date.now() - LOCKOUT_WINDOW_MINUTES * 60_000);
  const [byAccount, byIp] = await Promise.all([
    prisma.signInFailure.count({ where: { email, createdAt: { gt: since } } }),
    ip ? prisma.signInFailure.count({ where: { ip, createdAt: { gt: since } } }) : Promise.resolve(0),
  ]);
  if (byAccount >= MAX_FAILURES_PER_ACCOUNT) {
    return {
      reason: "account",
      message: `Too many failed sign-in attempts for this account. Try again in ${LOCKOUT_WINDOW_MINUTES} minutes.`,
    };
  }
  if (byIp >= MAX_FAILURES_PER_IP) {
    return { reason: "ip", message: `Too many failed sign-in attempts from your network. Try again in ${LOCKOUT_WINDOW_MINUTES} minutes.` };
  }
  return null;
}

export async function recordSignInFailure(email: string, ip: string | null, db?: Db) {
  await (db ?? (await getPrisma())).signInFailure.create({ data: { email, ip } });
}

export async function clearSignInFailures(email: string, db?: Db) {
  await (db ?? (await getPrisma())).signInFailure.deleteMany({ where: { email } });
}
