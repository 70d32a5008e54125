import type { Actor } from "../../auth/actor.ts";
import type { Role } from "../../auth/permissions.ts";
import type { TestDatabase } from "../../testing/test-database.ts";
import { DEMO_USERS } from "../../seed/users.ts";

export const [demoAdmin, demoPrivacy, demoMarketer] = DEMO_USERS as [
  (typeof DEMO_USERS)[number],
  (typeof DEMO_USERS)[number],
  (typeof DEMO_USERS)[number],
];

/** The demo admin, signed in. */
export const adminActor: Actor = {
  kind: "user",
  id: demoAdmin.id,
  label: demoAdmin.email,
  role: "admin",
  ip: "203.0.113.9",
  userAgent: "vitest",
};

/** An admin-role API key: an actor who is not one of the users, so it can act on the last admin. */
export const adminKeyActor: Actor = {
  kind: "api_key",
  id: "00000000-0000-4000-8000-0000000000a1",
  label: "provisioning key",
  role: "admin",
  ip: "198.51.100.20",
  userAgent: "curl/8.0",
};

export const marketerActor: Actor = { ...adminActor, id: demoMarketer.id, label: demoMarketer.email, role: "marketer" };

let counter = 0;
/** A unique email per call, so tests never collide on the unique index. */
export const uniqueEmail = (tag: string) => `${tag}-${Date.now().toString(36)}-${++counter}@staff.example`;

/** A user inserted directly (no audit entry), for tests that act on one. */
export async function insertUser(db: TestDatabase, role: Role, tag = "user") {
  return db.prisma.user.create({ data: { email: uniqueEmail(tag), name: `Test ${tag}`, role }, select: { id: true, email: true } });
}

/**
 * Leaves exactly `ids` as the active admins: promoted first, everyone else
 * demoted after, so the keep-an-admin trigger never sees zero in between.
 */
export async function onlyAdmins(db: TestDatabase, ids: string[]) {
  await db.prisma.user.updateMany({ where: { id: { in: ids } }, data: { role: "admin", deactivatedAt: null } });
  await db.prisma.user.updateMany({ where: { id: { notIn: ids }, role: "admin" }, data: { role: "marketer" } });
}

export async function auditEntries(db: TestDatabase, targetId: string) {
  return db.prisma.auditEntry.findMany({ where: { targetId }, orderBy: { id: "asc" } });
}

/**
 * Makes every audit insert of `action` fail until the returned function runs:
 * the way to show that a change and its entry commit or roll back together.
 */
export async function failAuditInserts(db: TestDatabase, action: string): Promise<() => Promise<void>> {
  await db.driver.exec(`
    CREATE FUNCTION test_fail_audit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.action = '${action.replace(/'/g, "''")}' THEN RAISE EXCEPTION 'audit insert failed (test)'; END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER test_fail_audit BEFORE INSERT ON audit_entries FOR EACH ROW EXECUTE FUNCTION test_fail_audit();`);
  return async () => {
    await db.driver.exec("DROP TRIGGER test_fail_audit ON audit_entries; DROP FUNCTION test_fail_audit();");
  };
}

/** Everything stored in audit rows as one string (ids are bigints), to show what is not in it. */
export const storedText = (value: unknown) => JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
