import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { DEMO_PASSWORD, DEMO_USERS, seedDemoUsers } from "../../seed/users.ts";
import { authenticateApiKey, createApiKey, forgetApiKey } from "../api-keys.ts";
import { actorFromRequest } from "../request.ts";
import { withClientIp } from "../client-ip.ts";
import { getAuth } from "../server.ts";
import { userFromHeaders } from "../session.ts";
import { SIGN_IN_LIMITS } from "../sign-in-policy.ts";

let db: TestDatabase;
const [admin, , marketer] = DEMO_USERS;

const previousTrustProxy = process.env.TRUST_PROXY;
beforeAll(async () => {
  // These requests carry their client address in X-Forwarded-For, as from one proxy.
  process.env.TRUST_PROXY = "1";
  db = await createTestDatabase({ install: true });
  await seedDemoUsers(db.prisma);
});
afterAll(async () => {
  if (previousTrustProxy === undefined) delete process.env.TRUST_PROXY;
  else process.env.TRUST_PROXY = previousTrustProxy;
  await db?.dispose();
});

/** Signs in over better-auth's HTTP endpoint, as a browser would. */
async function signIn(email: string, password: string, ip = "198.51.100.7") {
  const auth = await getAuth();
  return auth.handler(
    new Request("http://localhost:3000/api/auth/sign-in/email", {
      method: "POST",
      // As app/api/auth/[...all]/route.ts hands a request to better-auth.
      headers: withClientIp(new Headers({ "content-type": "application/json", origin: "http://localhost:3000", "x-forwarded-for": ip })),
      body: JSON.stringify({ email, password }),
    }),
  );
}

const cookieOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");

const actions = async (action: string) => db.prisma.auditEntry.findMany({ where: { action }, orderBy: { id: "asc" } });

describe("sign-in", () => {
  it("stores passwords as scrypt hashes, never in clear", async () => {
    const account = await db.prisma.account.findFirstOrThrow({ where: { userId: admin!.id } });
    expect(account.password).toMatch(/^[0-9a-f]{32}:[0-9a-f]{128}$/);
    expect(account.password).not.toContain(DEMO_PASSWORD);
  });

  it("signs a user in with a session cookie and audits it", async () => {
    const response = await signIn(marketer!.email, DEMO_PASSWORD);
    expect(response.status).toBe(200);
    const cookie = cookieOf(response);
    expect(response.headers.getSetCookie().join()).toMatch(/HttpOnly/i);
    const actor = await userFromHeaders(new Headers({ cookie }));
    expect(actor).toMatchObject({ kind: "user", id: marketer!.id, role: "marketer" });
    expect((await actions("sign_in.success")).at(-1)).toMatchObject({ actorId: marketer!.id, ip: "198.51.100.7" });
  });

  it("refuses a wrong password, records the failure, and audits it", async () => {
    const response = await signIn(admin!.email, "wrong-password-123");
    expect(response.status).toBe(401);
    const counter = await db.prisma.signInCounter.findUniqueOrThrow({ where: { key: `account:${admin!.email}` } });
    expect(counter.attempts).toBe(1);
    expect((await actions("sign_in.failure")).at(-1)).toMatchObject({ targetType: "user", targetId: admin!.id, actorType: "system" });
  });

  it("locks an account for a client after repeated failures, even with the right password", async () => {
    const email = "privacy@example.com";
    for (let i = 0; i < SIGN_IN_LIMITS.account_client; i++)
      expect((await signIn(email, "wrong-password-123", "203.0.113.1")).status).toBe(401);
    const locked = await signIn(email, DEMO_PASSWORD, "203.0.113.1");
    expect(locked.status).toBe(429);
    expect(await locked.json()).toMatchObject({ message: expect.stringContaining("Too many failed sign-in attempts") });
    expect(await actions("sign_in.locked")).not.toHaveLength(0);
  });

  it("never stores what was typed as an unknown email", async () => {
    expect((await signIn("my-Secret-Passw0rd", "whatever-123")).status).toBe(400);
    expect((await signIn("nobody@example.com", "whatever-123")).status).toBe(401);
    const entry = (await actions("sign_in.failure")).at(-1)!;
    expect(entry.targetType).toBe("unknown_account");
    expect(JSON.stringify(entry, (_k, v) => (typeof v === "bigint" ? String(v) : v))).not.toContain("nobody@example.com");
  });

  it("refuses a deactivated user like a wrong password", async () => {
    await db.prisma.user.update({ where: { id: DEMO_USERS[3]!.id }, data: { deactivatedAt: new Date() } });
    expect((await signIn(DEMO_USERS[3]!.email, DEMO_PASSWORD)).status).toBe(401);
  });

  it("ends a session after the idle timeout", async () => {
    const cookie = cookieOf(await signIn(marketer!.email, DEMO_PASSWORD));
    expect(await userFromHeaders(new Headers({ cookie }))).not.toBeNull();
    await db.prisma.session.updateMany({ where: { userId: marketer!.id }, data: { lastActiveAt: new Date(Date.now() - 31 * 60_000) } });
    const before = await db.prisma.session.count({ where: { userId: marketer!.id } });
    expect(await userFromHeaders(new Headers({ cookie }))).toBeNull();
    expect(await db.prisma.session.count({ where: { userId: marketer!.id } })).toBe(before - 1);
  });
});

describe("API keys", () => {
  it("authenticates a key by its hash, records last use, and refuses it once revoked", async () => {
    const key = await createApiKey({ name: "CRM sync", role: "marketer", createdById: admin!.id }, db.prisma);
    const stored = await db.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(stored.keyHash).not.toContain(key.key);
    expect(JSON.stringify(stored)).not.toContain(key.key);
    expect(await authenticateApiKey(`Bearer ${key.key}`, db.prisma)).toEqual({ id: key.id, name: "CRM sync", role: "marketer" });
    expect((await db.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt).not.toBeNull();
    await db.prisma.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
    // Revoked behind the app's back (revokeApiKey forgets the key at once): refused once this process forgets it.
    await forgetApiKey(key.id, db.prisma);
    expect(await authenticateApiKey(`Bearer ${key.key}`, db.prisma)).toBeNull();
  });

  it("trusts a key it has checked for 30 s at most: a revocation made elsewhere is seen after that", async () => {
    const key = await createApiKey({ name: "Cached", role: "auditor", createdById: null }, db.prisma);
    expect(await authenticateApiKey(`Bearer ${key.key}`, db.prisma)).toMatchObject({ id: key.id });
    await db.prisma.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    try {
      vi.setSystemTime(Date.now() + 20_000);
      expect(await authenticateApiKey(`Bearer ${key.key}`, db.prisma)).toMatchObject({ id: key.id });
      vi.setSystemTime(Date.now() + 11_000);
      expect(await authenticateApiKey(`Bearer ${key.key}`, db.prisma)).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it.each([null, "", "Bearer", "Basic abc", "Bearer cdk_short", `Bearer cdk_${"x".repeat(43)}`])("refuses %j", async (header) => {
    expect(await authenticateApiKey(header, db.prisma)).toBeNull();
  });

  it("does not fall back to the session cookie when a bad key is sent", async () => {
    const cookie = cookieOf(await signIn(admin!.email, DEMO_PASSWORD));
    const request = new Request("http://localhost/api/x", { headers: { cookie, authorization: "Bearer nonsense" } });
    expect(await actorFromRequest(request)).toBeNull();
    const withCookieOnly = new Request("http://localhost/api/x", { headers: { cookie } });
    expect(await actorFromRequest(withCookieOnly)).toMatchObject({ kind: "user", role: "admin" });
  });
});
