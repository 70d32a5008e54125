import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { createUserWithPassword } from "../../users/create.ts";
import { withClientIp } from "../client-ip.ts";
import { getAuth } from "../server.ts";
import { SIGN_IN_LIMITS } from "../sign-in-policy.ts";

// Concurrency and abuse of the sign-in limits (issue 9, item 1). Each test
// signs in to its own user, from its own client addresses.

const PASSWORD = "correct-horse-battery";
const ORIGIN = "http://localhost:3000";
let db: TestDatabase;
let previousTrustProxy: string | undefined;

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
  // The database refuses to deactivate anyone while no other admin is active.
  await createUserWithPassword({ email: "admin@example.com", name: "Admin", role: "admin", password: PASSWORD }, db.prisma);
  // The tests choose their client address with X-Forwarded-For, as a proxy would send it.
  previousTrustProxy = process.env.TRUST_PROXY;
  process.env.TRUST_PROXY = "1";
});
afterAll(async () => {
  if (previousTrustProxy === undefined) delete process.env.TRUST_PROXY;
  else process.env.TRUST_PROXY = previousTrustProxy;
  await db?.dispose();
});

let users = 0;
async function newUser() {
  const email = `lockout-${++users}-${Date.now()}@example.com`;
  await createUserWithPassword({ email, name: "Lockout test", role: "marketer", password: PASSWORD }, db.prisma);
  return email;
}

async function signIn(email: unknown, password: unknown, ip: string, origin = ORIGIN) {
  const auth = await getAuth();
  // What a browser sends with a fetch from a page on `origin`.
  const site = origin === ORIGIN ? "same-origin" : "cross-site";
  const response = await auth.handler(
    new Request(`${ORIGIN}/api/auth/sign-in/email`, {
      method: "POST",
      headers: withClientIp(
        new Headers({
          "content-type": "application/json",
          origin,
          "sec-fetch-site": site,
          "sec-fetch-mode": "cors",
          "x-forwarded-for": ip,
        }),
      ),
      body: JSON.stringify({ email, password }),
    }),
  );
  return response.status;
}

const tally = (statuses: number[]) => ({
  wrongEvaluated: statuses.filter((s) => s === 401).length,
  signedIn: statuses.filter((s) => s === 200).length,
});

/** Wrong passwords until the account is locked for `ip`; how many were still evaluated. */
async function failUntilLocked(email: string, ip: string) {
  for (let evaluated = 0; evaluated <= SIGN_IN_LIMITS.account_client; evaluated++) {
    const status = await signIn(email, "wrong-password-123", ip);
    if (status === 429) return evaluated;
    expect(status).toBe(401);
  }
  throw new Error("never locked");
}

describe("sign-in limits under concurrency", () => {
  it("100 simultaneous guesses from one client evaluate at most 5 wrong passwords; the right one is then refused", async () => {
    const email = await newUser();
    const ip = "198.51.100.10";
    const passwords = Array.from({ length: 100 }, (_, i) => (i === 50 ? PASSWORD : `wrong-password-${i}`));
    const statuses = await Promise.all(passwords.map((p) => signIn(email, p, ip)));
    const { wrongEvaluated, signedIn } = tally(statuses);
    expect(wrongEvaluated).toBeLessThanOrEqual(SIGN_IN_LIMITS.account_client);
    expect(wrongEvaluated + signedIn).toBeLessThanOrEqual(SIGN_IN_LIMITS.account_client + 1);
    expect(statuses.filter((s) => s !== 401 && s !== 200).every((s) => s === 429)).toBe(true);
    // What the burst left of the limit is used up, and then even the right password is refused.
    expect(wrongEvaluated + (await failUntilLocked(email, ip))).toBe(SIGN_IN_LIMITS.account_client);
    expect(await signIn(email, PASSWORD, ip)).toBe(429);
    const failures = await db.prisma.auditEntry.count({ where: { action: "sign_in.failure", ip } });
    expect(failures).toBe(SIGN_IN_LIMITS.account_client);
  });

  it("100 simultaneous guesses from 100 addresses evaluate at most the account ceiling", async () => {
    const email = await newUser();
    const statuses = await Promise.all(Array.from({ length: 100 }, (_, i) => signIn(email, `wrong-password-${i}`, `203.0.113.${i + 1}`)));
    expect(tally(statuses).wrongEvaluated).toBe(SIGN_IN_LIMITS.account);
    expect(await signIn(email, PASSWORD, "192.0.2.200")).toBe(429);
  });
});

describe("what does not lock an account", () => {
  it("5 requests with a refused origin, malformed bodies or too-long passwords lock nothing", async () => {
    const email = await newUser();
    const ip = "198.51.100.20";
    for (let i = 0; i < 5; i++) expect(await signIn(email, "wrong-password-123", ip, "http://evil.example")).toBe(403);
    for (let i = 0; i < 5; i++) expect(await signIn(email, 12345, ip)).toBe(400);
    for (let i = 0; i < 5; i++) expect(await signIn(email, "x".repeat(300), ip)).toBe(400);
    expect(await db.prisma.signInCounter.findMany({ where: { key: { contains: email } }, select: { attempts: true } })).toEqual([
      { attempts: 0 },
      { attempts: 0 },
    ]);
    expect(await signIn(email, PASSWORD, ip)).toBe(200);
  });

  it("a stranger's five wrong passwords lock the stranger out, not the owner", async () => {
    const email = await newUser();
    expect(await failUntilLocked(email, "198.51.100.30")).toBe(SIGN_IN_LIMITS.account_client);
    expect(await signIn(email, PASSWORD, "198.51.100.30")).toBe(429);
    expect(await signIn(email, PASSWORD, "198.51.100.31")).toBe(200);
  });

  it("a right password gives its attempt back", async () => {
    const email = await newUser();
    const ip = "198.51.100.40";
    for (let i = 0; i < 10; i++) expect(await signIn(email, PASSWORD, ip)).toBe(200);
    expect(await failUntilLocked(email, ip)).toBe(SIGN_IN_LIMITS.account_client);
  });
});

describe("a deactivated account", () => {
  it("answers exactly as a wrong password does", async () => {
    const email = await newUser();
    await db.prisma.user.update({ where: { email }, data: { deactivatedAt: new Date() } });
    const answer = async (password: string) => {
      const auth = await getAuth();
      const response = await auth.handler(
        new Request(`${ORIGIN}/api/auth/sign-in/email`, {
          method: "POST",
          headers: withClientIp(new Headers({ "content-type": "application/json", origin: ORIGIN, "x-forwarded-for": "198.51.100.50" })),
          body: JSON.stringify({ email, password }),
        }),
      );
      return { status: response.status, body: await response.json() };
    };
    const deactivated = await answer(PASSWORD);
    await db.prisma.user.update({ where: { email }, data: { deactivatedAt: null } });
    const wrong = await answer("wrong-password-123");
    expect(deactivated).toEqual(wrong);
    expect(wrong).toEqual({ status: 401, body: { code: "INVALID_EMAIL_OR_PASSWORD", message: "Invalid email or password" } });
  });
});
