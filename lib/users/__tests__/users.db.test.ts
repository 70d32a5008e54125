import { verifyPassword } from "better-auth/crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthorizationError } from "../../auth/actor.ts";
import { getAuth } from "../../auth/server.ts";
import { userFromHeaders } from "../../auth/session.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { seedDemoUsers } from "../../seed/users.ts";
import { DUPLICATE_EMAIL_MESSAGE, UserRuleError } from "../errors.ts";
import { changeUserRole, createUser, deactivateUser, reactivateUser } from "../manage.ts";
import { adminActor, auditEntries, demoAdmin, failAuditInserts, insertUser, marketerActor, storedText, uniqueEmail } from "./fixtures.ts";

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
  await seedDemoUsers(db.prisma);
});
afterAll(async () => db?.dispose());

const passwordHashOf = async (userId: string) =>
  (await db.prisma.account.findFirstOrThrow({ where: { userId, providerId: "credential" } })).password!;

async function signIn(email: string, password: string) {
  const auth = await getAuth();
  const response = await auth.handler(
    new Request("http://localhost:3000/api/auth/sign-in/email", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://localhost:3000" },
      body: JSON.stringify({ email, password }),
    }),
  );
  return {
    status: response.status,
    cookie: response.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; "),
  };
}

describe("createUser", () => {
  it("creates a user with the password set, stores only its scrypt hash, and audits without it", async () => {
    const email = uniqueEmail("set");
    const password = "correct horse battery";
    const { user, generatedPassword } = await createUser(
      adminActor,
      {
        name: "Sam Set",
        email,
        role: "auditor",
        passwordMode: "set",
        password,
      },
      db.prisma,
    );
    expect(generatedPassword).toBeNull();
    expect(user).toMatchObject({ email, name: "Sam Set", role: "auditor" });
    const hash = await passwordHashOf(user.id);
    expect(hash).not.toContain(password);
    expect(await verifyPassword({ hash, password })).toBe(true);

    const [entry, ...more] = await auditEntries(db, user.id);
    expect(more).toHaveLength(0);
    expect(entry).toMatchObject({ action: "user.create", actorId: demoAdmin.id, targetType: "user", targetId: user.id });
    expect(entry!.summary).toEqual({ email, name: "Sam Set", role: "auditor", passwordSource: "set by admin" });
    expect(storedText(entry)).not.toContain(password);
  });

  it("generates a strong password, returns it once, and the user can sign in with it", async () => {
    const email = uniqueEmail("gen");
    const { user, generatedPassword } = await createUser(
      adminActor,
      {
        name: "Gen",
        email,
        role: "marketer",
        passwordMode: "generate",
      },
      db.prisma,
    );
    expect(generatedPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(await verifyPassword({ hash: await passwordHashOf(user.id), password: generatedPassword! })).toBe(true);
    expect(storedText(await auditEntries(db, user.id))).not.toContain(generatedPassword);
    expect((await signIn(email, generatedPassword!)).status).toBe(200);
  });

  it("refuses a taken email as an error on the email field, and writes nothing", async () => {
    const [users, entries] = [await db.prisma.user.count(), await db.prisma.auditEntry.count()];
    const attempt = createUser(
      adminActor,
      {
        name: "Again",
        email: demoAdmin.email,
        role: "marketer",
        passwordMode: "generate",
      },
      db.prisma,
    );
    await expect(attempt).rejects.toMatchObject({ name: "UserRuleError", message: DUPLICATE_EMAIL_MESSAGE, field: "email" });
    expect([await db.prisma.user.count(), await db.prisma.auditEntry.count()]).toEqual([users, entries]);
  });

  it("gives the same field error when two creates of one email race past the check", async () => {
    const email = uniqueEmail("race");
    const input = { name: "Racer", email, role: "marketer", passwordMode: "generate" } as const;
    const results = await Promise.allSettled([createUser(adminActor, input, db.prisma), createUser(adminActor, input, db.prisma)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const [refused] = results.filter((r) => r.status === "rejected");
    expect(refused?.reason).toBeInstanceOf(UserRuleError);
    expect(refused?.reason).toMatchObject({ message: DUPLICATE_EMAIL_MESSAGE, field: "email" });
    expect(await db.prisma.user.count({ where: { email } })).toBe(1);
    expect(await db.prisma.auditEntry.count({ where: { action: "user.create", summary: { path: ["email"], equals: email } } })).toBe(1);
  });

  it("leaves no user when its audit entry cannot be written", async () => {
    const email = uniqueEmail("rollback");
    const restore = await failAuditInserts(db, "user.create");
    try {
      await expect(
        createUser(adminActor, { name: "Gone", email, role: "marketer", passwordMode: "generate" }, db.prisma),
      ).rejects.toThrow();
    } finally {
      await restore();
    }
    expect(await db.prisma.user.count({ where: { email } })).toBe(0);
  });

  it("refuses a role without users:manage before reading anything", async () => {
    const attempt = createUser(marketerActor, { name: "No", email: uniqueEmail("no"), role: "admin", passwordMode: "generate" }, db.prisma);
    await expect(attempt).rejects.toBeInstanceOf(AuthorizationError);
  });
});

describe("changeUserRole", () => {
  it("changes the role and audits before and after", async () => {
    const user = await insertUser(db, "marketer", "promote");
    const { user: changed, changed: didChange } = await changeUserRole(adminActor, { userId: user.id, role: "privacy_officer" }, db.prisma);
    expect([changed.role, didChange]).toEqual(["privacy_officer", true]);
    const [entry] = await auditEntries(db, user.id);
    expect(entry).toMatchObject({ action: "user.role_change", actorId: adminActor.id, ip: adminActor.ip });
    expect(entry!.summary).toEqual({ email: user.email, before: { role: "marketer" }, after: { role: "privacy_officer" } });
  });

  it("writes nothing when the role is already the one asked for", async () => {
    const user = await insertUser(db, "auditor", "same");
    expect((await changeUserRole(adminActor, { userId: user.id, role: "auditor" }, db.prisma)).changed).toBe(false);
    expect(await auditEntries(db, user.id)).toHaveLength(0);
  });

  it("says so when the user does not exist", async () => {
    const attempt = changeUserRole(adminActor, { userId: "00000000-0000-4000-8000-00000000ffff", role: "auditor" }, db.prisma);
    await expect(attempt).rejects.toThrow("This user no longer exists.");
  });

  it("refuses a marketer", async () => {
    const user = await insertUser(db, "marketer", "noperm");
    await expect(changeUserRole(marketerActor, { userId: user.id, role: "admin" }, db.prisma)).rejects.toMatchObject({ status: 403 });
    expect((await db.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe("marketer");
  });
});

describe("deactivateUser and reactivateUser", () => {
  it("deactivates a user, ends all their sessions at once, and audits it", async () => {
    const email = uniqueEmail("leaver");
    const password = "leaver-password-123";
    const { user } = await createUser(adminActor, { name: "Leaver", email, role: "marketer", passwordMode: "set", password }, db.prisma);
    const first = await signIn(email, password);
    await signIn(email, password);
    expect(await userFromHeaders(new Headers({ cookie: first.cookie }))).toMatchObject({ id: user.id });
    expect(await db.prisma.session.count({ where: { userId: user.id } })).toBe(2);

    const result = await deactivateUser(adminActor, { userId: user.id }, db.prisma);
    expect(result.changed).toBe(true);
    expect(result.user.deactivatedAt).toBeInstanceOf(Date);
    expect(await db.prisma.session.count({ where: { userId: user.id } })).toBe(0);
    expect(await userFromHeaders(new Headers({ cookie: first.cookie }))).toBeNull();
    expect((await signIn(email, password)).status).toBe(401);
    // The refused sign-in after it is audited too (as a failure, like a wrong password); the deactivation is the entry before.
    const entry = (await auditEntries(db, user.id)).filter((e) => e.action !== "sign_in.failure").at(-1);
    expect(entry).toMatchObject({ action: "user.deactivate", actorId: adminActor.id });
    expect(entry!.summary).toEqual({ email, role: "marketer", sessionsEnded: 2 });

    // Deactivating again changes nothing and writes nothing.
    expect((await deactivateUser(adminActor, { userId: user.id }, db.prisma)).changed).toBe(false);
    expect((await auditEntries(db, user.id)).filter((e) => e.action === "user.deactivate")).toHaveLength(1);
  });

  it("reactivates a user, who can then sign in again", async () => {
    const email = uniqueEmail("returner");
    const password = "returner-password-123";
    const { user } = await createUser(adminActor, { name: "Returner", email, role: "auditor", passwordMode: "set", password }, db.prisma);
    await deactivateUser(adminActor, { userId: user.id }, db.prisma);
    const result = await reactivateUser(adminActor, { userId: user.id }, db.prisma);
    expect([result.changed, result.user.deactivatedAt]).toEqual([true, null]);
    expect((await auditEntries(db, user.id)).map((e) => e.action)).toEqual(["user.create", "user.deactivate", "user.reactivate"]);
    expect((await signIn(email, password)).status).toBe(200);
    expect((await reactivateUser(adminActor, { userId: user.id }, db.prisma)).changed).toBe(false);
  });

  it("refuses to let an admin deactivate themself", async () => {
    const attempt = deactivateUser(adminActor, { userId: adminActor.id }, db.prisma);
    await expect(attempt).rejects.toThrow("You cannot deactivate yourself");
    expect((await db.prisma.user.findUniqueOrThrow({ where: { id: adminActor.id } })).deactivatedAt).toBeNull();
  });

  it("keeps the user and their sessions when the audit entry cannot be written", async () => {
    const user = await insertUser(db, "marketer", "keep");
    await db.prisma.session.create({ data: { userId: user.id, token: `t-${user.id}`, expiresAt: new Date(Date.now() + 3_600_000) } });
    const restore = await failAuditInserts(db, "user.deactivate");
    try {
      await expect(deactivateUser(adminActor, { userId: user.id }, db.prisma)).rejects.toThrow();
    } finally {
      await restore();
    }
    expect((await db.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).deactivatedAt).toBeNull();
    expect(await db.prisma.session.count({ where: { userId: user.id } })).toBe(1);
  });
});
