import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../auth/actor.ts";
import { getAuth } from "../../auth/server.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { changeOwnPassword, endOwnSession, endUserSessions, listOwnSessions } from "../account.ts";
import { createUserWithPassword } from "../create.ts";
import { UserRuleError } from "../errors.ts";
import { adminActor, marketerActor, uniqueEmail } from "./fixtures.ts";
import { seedDemoUsers } from "../../seed/users.ts";

// One's own password and sessions, and an admin ending a user's sessions,
// over better-auth's real sign-in and sessions.

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ install: true });
  await seedDemoUsers(db.prisma);
});
afterAll(async () => db?.dispose());

const PASSWORD = "tulip-orbit-canyon-41";

async function signIn(email: string, password: string) {
  const response = await (
    await getAuth()
  ).handler(
    new Request("http://localhost:3000/api/auth/sign-in/email", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://localhost:3000" },
      body: JSON.stringify({ email, password }),
    }),
  );
  return response.status;
}

/** A user of this test's own, signed in twice (two sessions), as an actor. */
async function ownUser(): Promise<{ actor: Actor; email: string; sessions: string[] }> {
  const email = uniqueEmail("account");
  const user = await createUserWithPassword({ email, name: "Account Test", role: "marketer", password: PASSWORD }, db.prisma);
  expect(await signIn(email, PASSWORD)).toBe(200);
  expect(await signIn(email, PASSWORD)).toBe(200);
  const sessions = (await db.prisma.session.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" } })).map((s) => s.id);
  expect(sessions).toHaveLength(2);
  return { actor: { ...marketerActor, id: user.id, label: email }, email, sessions };
}
const audit = (action: string, userId: string) => db.prisma.auditEntry.count({ where: { action, targetType: "user", targetId: userId } });

describe("one's own account", () => {
  it("lists one's own sessions, the current one first and marked", async () => {
    const { actor, sessions } = await ownUser();
    const listed = await listOwnSessions(actor, sessions[0]!);
    expect(listed.map((s) => [s.id, s.current])).toEqual([
      [sessions[0], true],
      [sessions[1], false],
    ]);
  });

  it("ends one's own session, never another user's", async () => {
    const mine = await ownUser();
    const theirs = await ownUser();
    expect(await endOwnSession(mine.actor, { sessionId: theirs.sessions[0]! })).toEqual({ ended: false });
    expect(await db.prisma.session.count({ where: { id: theirs.sessions[0]! } })).toBe(1);
    expect(await endOwnSession(mine.actor, { sessionId: mine.sessions[1]! })).toEqual({ ended: true });
    expect(await db.prisma.session.count({ where: { userId: mine.actor.id } })).toBe(1);
    expect(await audit("session.end", mine.actor.id)).toBe(1);
  });

  it("changes the password after checking the current one, keeps this session and ends the others", async () => {
    const { actor, email, sessions } = await ownUser();
    const next = "quartz-meadow-lantern-77";
    await expect(
      changeOwnPassword(actor, { currentPassword: "wrong-password-here", newPassword: next, confirmPassword: next }, sessions[0]!),
    ).rejects.toMatchObject(new UserRuleError("Your current password is not right.", "currentPassword"));
    expect(await audit("user.password_change", actor.id)).toBe(0);

    expect(await changeOwnPassword(actor, { currentPassword: PASSWORD, newPassword: next, confirmPassword: next }, sessions[0]!)).toEqual({
      otherSessionsEnded: 1,
    });
    expect((await db.prisma.session.findMany({ where: { userId: actor.id } })).map((s) => s.id)).toEqual([sessions[0]]);
    expect(await signIn(email, PASSWORD)).toBe(401);
    expect(await signIn(email, next)).toBe(200);
    expect(await audit("user.password_change", actor.id)).toBe(1);
  });
});

describe("an admin ending a user's sessions", () => {
  it("signs the user out everywhere and audits it; a marketer may not", async () => {
    const { actor } = await ownUser();
    await expect(endUserSessions(marketerActor, { userId: actor.id })).rejects.toMatchObject({ status: 403 });
    expect(await db.prisma.session.count({ where: { userId: actor.id } })).toBe(2);
    expect(await endUserSessions(adminActor, { userId: actor.id })).toMatchObject({ ended: 2 });
    expect(await db.prisma.session.count({ where: { userId: actor.id } })).toBe(0);
    expect(await audit("user.sessions_end", actor.id)).toBe(1);
  });
});
