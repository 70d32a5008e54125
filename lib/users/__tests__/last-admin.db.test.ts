import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../../testing/test-database.ts";
import { seedDemoUsers } from "../../seed/users.ts";
import { isKeepAnAdminViolation, LAST_ADMIN_MESSAGE, translateDatabaseError, UserRuleError } from "../errors.ts";
import { changeUserRole, deactivateUser } from "../manage.ts";
import { adminKeyActor, auditEntries, demoAdmin, insertUser, onlyAdmins } from "./fixtures.ts";

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
  await seedDemoUsers(db.prisma);
});
afterAll(async () => db?.dispose());

const activeAdmins = () => db.prisma.user.findMany({ where: { role: "admin", deactivatedAt: null }, select: { id: true } });

describe("the last active admin", () => {
  it("cannot be demoted: the rule says why and nothing is written", async () => {
    await onlyAdmins(db, [demoAdmin.id]);
    const attempt = changeUserRole(adminKeyActor, { userId: demoAdmin.id, role: "auditor" }, db.prisma);
    await expect(attempt).rejects.toEqual(new UserRuleError(LAST_ADMIN_MESSAGE));
    expect(await activeAdmins()).toEqual([{ id: demoAdmin.id }]);
    expect((await auditEntries(db, demoAdmin.id)).filter((e) => e.action === "user.role_change")).toHaveLength(0);
  });

  it("cannot be deactivated, even by an admin-role API key", async () => {
    await onlyAdmins(db, [demoAdmin.id]);
    await expect(deactivateUser(adminKeyActor, { userId: demoAdmin.id }, db.prisma)).rejects.toThrow(LAST_ADMIN_MESSAGE);
    expect(await activeAdmins()).toEqual([{ id: demoAdmin.id }]);
    expect((await auditEntries(db, demoAdmin.id)).filter((e) => e.action === "user.deactivate")).toHaveLength(0);
  });

  it("does not count a deactivated admin as the one who remains", async () => {
    const dormant = await insertUser(db, "admin", "dormant");
    await onlyAdmins(db, [demoAdmin.id, dormant.id]);
    await deactivateUser(adminKeyActor, { userId: dormant.id }, db.prisma);
    await expect(changeUserRole(adminKeyActor, { userId: demoAdmin.id, role: "marketer" }, db.prisma)).rejects.toThrow(LAST_ADMIN_MESSAGE);
    // Demoting the dormant admin takes nothing away from the active ones.
    expect((await changeUserRole(adminKeyActor, { userId: dormant.id, role: "marketer" }, db.prisma)).changed).toBe(true);
  });

  it("can step down once another admin is active", async () => {
    const successor = await insertUser(db, "admin", "successor");
    await onlyAdmins(db, [demoAdmin.id, successor.id]);
    expect((await changeUserRole(adminKeyActor, { userId: successor.id, role: "marketer" }, db.prisma)).changed).toBe(true);
    expect(await activeAdmins()).toEqual([{ id: demoAdmin.id }]);
  });

  it("is kept by the database trigger too, whose error reads as the rule's", async () => {
    await onlyAdmins(db, [demoAdmin.id]);
    const bypass = db.prisma.$transaction((tx) => tx.user.update({ where: { id: demoAdmin.id }, data: { deactivatedAt: new Date() } }));
    const error: unknown = await bypass.catch((e: unknown) => e);
    expect(isKeepAnAdminViolation(error)).toBe(true);
    expect(translateDatabaseError(error)).toEqual(new UserRuleError(LAST_ADMIN_MESSAGE));
    expect(isKeepAnAdminViolation(new Error("at least one active admin is required"))).toBe(false);
  });

  it("survives two admins demoting each other at once: exactly one succeeds", async () => {
    for (let round = 0; round < 3; round++) {
      const [a, b] = [await insertUser(db, "admin", "pair-a"), await insertUser(db, "admin", "pair-b")];
      await onlyAdmins(db, [a.id, b.id]);
      const results = await Promise.allSettled([
        changeUserRole(adminKeyActor, { userId: a.id, role: "marketer" }, db.prisma),
        changeUserRole(adminKeyActor, { userId: b.id, role: "marketer" }, db.prisma),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
      expect(results.find((r) => r.status === "rejected")?.reason).toEqual(new UserRuleError(LAST_ADMIN_MESSAGE));
      expect(await activeAdmins()).toHaveLength(1);
      const changes = [...(await auditEntries(db, a.id)), ...(await auditEntries(db, b.id))];
      expect(changes.map((e) => e.action)).toEqual(["user.role_change"]);
    }
  });

  // PGlite has one connection, so its transactions never overlap; only a
  // server can show the trigger catching what the read-then-write check missed.
  it.skipIf(testDatabaseKind() === "pglite")("catches, in the trigger, two demotions that both passed the check", async () => {
    if (db.driver.kind !== "postgres") return;
    const [a, b] = [await insertUser(db, "admin", "race-a"), await insertUser(db, "admin", "race-b")];
    await onlyAdmins(db, [a.id, b.id]);
    // Hold both rows so each demotion reads "one other admin left", then waits at its UPDATE.
    const holder = await db.driver.pool.connect();
    let results: PromiseSettledResult<unknown>[];
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT 1 FROM users WHERE id = ANY($1::uuid[]) FOR UPDATE", [[a.id, b.id]]);
      const racing = Promise.allSettled([
        changeUserRole(adminKeyActor, { userId: a.id, role: "auditor" }, db.prisma),
        changeUserRole(adminKeyActor, { userId: b.id, role: "auditor" }, db.prisma),
      ]);
      for (let waited = 0; ; waited += 20) {
        // pg_stat_activity is read once per transaction unless told to look again.
        await holder.query("SELECT pg_stat_clear_snapshot()");
        const { rows } = await holder.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        );
        if (rows[0]!.n >= 2) break;
        if (waited > 4_000) throw new Error("the two demotions never reached their UPDATE");
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await holder.query("COMMIT");
      results = await racing;
    } finally {
      holder.release();
    }
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(results.find((r) => r.status === "rejected")?.reason).toEqual(new UserRuleError(LAST_ADMIN_MESSAGE));
    expect(await activeAdmins()).toHaveLength(1);
    const changes = [...(await auditEntries(db, a.id)), ...(await auditEntries(db, b.id))];
    expect(changes.map((e) => e.action)).toEqual(["user.role_change"]);
  });
});
