// Which counters a sign-in attempt reserves, and what a refusal says. Pure:
// the SQL that reserves them is lib/auth/sign-in-policy.ts.

export const LOCKOUT_WINDOW_MINUTES = 15;

/**
 * Wrong passwords evaluated per window, by scope. The tight limit is per
 * account and client address, so a stranger cannot lock someone else out with
 * five requests; the account ceiling bounds guessing from many addresses; the
 * address limit bounds spraying one password over many accounts.
 */
export const SIGN_IN_LIMITS = { account_client: 5, account: 25, client: 20 } as const;

export type LimitScope = keyof typeof SIGN_IN_LIMITS;
export type SignInCounter = { key: string; scope: LimitScope; max: number };
export type Lockout = { reason: "account" | "ip"; message: string };

// A client address we could not learn shares one bucket: never a free pass.
const UNKNOWN_CLIENT = "unknown";

/** The counters one attempt reserves, in key order (every statement locks rows in the same order). */
export function signInCounters(email: string, ip: string | null): SignInCounter[] {
  const client = ip ?? UNKNOWN_CLIENT;
  const counters: SignInCounter[] = [
    { key: `account:${email}`, scope: "account", max: SIGN_IN_LIMITS.account },
    { key: `account_client:${email} ${client}`, scope: "account_client", max: SIGN_IN_LIMITS.account_client },
    { key: `client:${client}`, scope: "client", max: SIGN_IN_LIMITS.client },
  ];
  return counters.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** What the refusal says, given the scopes whose limit was reached (none: no lockout). */
export function lockoutFor(refused: readonly LimitScope[]): Lockout | null {
  if (refused.includes("account") || refused.includes("account_client"))
    return {
      reason: "account",
      message: `Too many failed sign-in attempts for this account. Try again in ${LOCKOUT_WINDOW_MINUTES} minutes.`,
    };
  if (refused.includes("client"))
    return { reason: "ip", message: `Too many failed sign-in attempts from your network. Try again in ${LOCKOUT_WINDOW_MINUTES} minutes.` };
  return null;
}

/**
 * The account a sign-in body aims at, or null when better-auth's own body
 * schema refuses it (400, no password looked at). Deliberately lenient: any
 * body better-auth might check a password for reserves an attempt, and an
 * answer that turns out not to be a credential failure gives it back.
 */
export function credentialAttempt(body: unknown): { email: string } | null {
  if (typeof body !== "object" || body === null) return null;
  const { email, password } = body as Record<string, unknown>;
  if (typeof email !== "string" || typeof password !== "string") return null;
  return { email: email.trim().toLowerCase() };
}

/**
 * Whether an answer to a reserved attempt keeps it as a failure. Only a
 * credential failure (401) does; a success, a refused origin (403) or a
 * malformed body (400) gives the attempt back.
 */
export function keepsReservation(status: number | null): boolean {
  return status === 401;
}
