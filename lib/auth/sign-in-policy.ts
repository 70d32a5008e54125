import { getPrisma, type Db } from "../db/index.ts";
import { LOCKOUT_WINDOW_MINUTES, lockoutFor, signInCounters, type Lockout } from "./sign-in-limits.ts";

export { LOCKOUT_WINDOW_MINUTES, SIGN_IN_LIMITS, type Lockout } from "./sign-in-limits.ts";

/** Sessions end 12 hours after sign-in, or after 30 idle minutes, whichever is first. */
export const SESSION_MAX_SECONDS = Number(process.env.SESSION_MAX_HOURS ?? 12) * 3600;
export const SESSION_IDLE_SECONDS = Number(process.env.SESSION_IDLE_MINUTES ?? 30) * 60;

// One statement reserves every counter: the upsert locks each row, and the
// WHERE is re-checked on its newest version, so concurrent attempts queue on
// the row and at most max_attempts of them ever get through (PostgreSQL and
// PGlite alike). A counter forgets its attempts once 15 minutes pass without one.
const RESERVE = `
INSERT INTO sign_in_counters AS c (key, attempts, max_attempts, last_attempt_at)
SELECT t.key, 1, t.max, now() FROM unnest($1::text[], $2::int[]) WITH ORDINALITY AS t(key, max, n) ORDER BY t.n
ON CONFLICT (key) DO UPDATE SET
  attempts = CASE WHEN c.last_attempt_at <= now() - make_interval(mins => $3) THEN 1 ELSE c.attempts + 1 END,
  max_attempts = EXCLUDED.max_attempts,
  last_attempt_at = now()
WHERE c.last_attempt_at <= now() - make_interval(mins => $3) OR c.attempts < EXCLUDED.max_attempts
RETURNING c.key`;

const RELEASE = `UPDATE sign_in_counters SET attempts = greatest(attempts - 1, 0) WHERE key = ANY($1::text[])`;

export type Reservation = { ok: true } | { ok: false; lockout: Lockout };

/**
 * Takes one attempt from every limit that applies to this account and client,
 * before the password is checked; refuses when any limit is used up (and
 * gives back the ones it did take).
 */
export async function reserveSignInAttempt(email: string, ip: string | null, db?: Db): Promise<Reservation> {
  const prisma = db ?? (await getPrisma());
  const counters = signInCounters(email, ip);
  const rows = await prisma.$queryRawUnsafe<{ key: string }[]>(
    RESERVE,
    counters.map((c) => c.key),
    counters.map((c) => c.max),
    LOCKOUT_WINDOW_MINUTES,
  );
  const taken = new Set(rows.map((r) => r.key));
  const lockout = lockoutFor(counters.filter((c) => !taken.has(c.key)).map((c) => c.scope));
  if (!lockout) return { ok: true };
  if (taken.size > 0) await prisma.$executeRawUnsafe(RELEASE, [...taken]);
  return { ok: false, lockout };
}

/** Gives a reserved attempt back: it signed in, or was refused for something other than its credentials. */
export async function releaseSignInAttempt(email: string, ip: string | null, db?: Db) {
  const prisma = db ?? (await getPrisma());
  await prisma.$executeRawUnsafe(
    RELEASE,
    signInCounters(email, ip).map((c) => c.key),
  );
}
