import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DEMO_PASSWORD, DEMO_USERS } from "../../seed/users.ts";
import { seedDemoUsers } from "../../seed/users.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { can, ROLES, type Permission, type Role } from "../permissions.ts";
import { signInCookie } from "../../testing/surface.ts";

// Server actions read the request's cookies through next/headers; outside a
// Next.js request the test supplies them. Everything behind that is real:
// better-auth sessions, the database, the actions' own checks.
let requestHeaders = new Headers();
vi.mock("next/headers", () => ({ headers: async () => requestHeaders, cookies: async () => ({ get: () => undefined, set: () => {} }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

/**
 * Every server action, the permission it must declare, and which roles may
 * run it, written out from PRODUCT.md ("Who uses it"). A new action in
 * lib/actions fails this test until listed.
 */
type Rule = { permission: Permission; allowed: readonly Role[] } | { public: string };
const ACTIONS: Record<string, Rule> = {
  "auth.ts#signInAction": { public: "signing in is what an anonymous visitor does" },
  "auth.ts#signOutAction": { public: "ends the caller's own session, if any" },
  "users.ts#createUserAction": { permission: "users:manage", allowed: ["admin"] },
  "users.ts#changeUserRoleAction": { permission: "users:manage", allowed: ["admin"] },
  "users.ts#deactivateUserAction": { permission: "users:manage", allowed: ["admin"] },
  "users.ts#reactivateUserAction": { permission: "users:manage", allowed: ["admin"] },
  "api-keys.ts#createApiKeyAction": { permission: "api_keys:manage", allowed: ["admin"] },
  "api-keys.ts#revokeApiKeyAction": { permission: "api_keys:manage", allowed: ["admin"] },
  "deliveries.ts#retrySignalAction": { permission: "deliveries:retry", allowed: ["admin", "privacy_officer"] },
  "deliveries.ts#retryFailedSignalsAction": { permission: "deliveries:retry", allowed: ["admin", "privacy_officer"] },
  "consent.ts#changeConsentAction": { permission: "consent:write", allowed: ["admin", "privacy_officer", "marketer"] },
  "users.ts#endUserSessionsAction": { permission: "users:manage", allowed: ["admin"] },
  "account.ts#changeOwnPasswordAction": { permission: "account:self", allowed: ["admin", "privacy_officer", "marketer", "auditor"] },
  "account.ts#endOwnSessionAction": { permission: "account:self", allowed: ["admin", "privacy_officer", "marketer", "auditor"] },
  "integrations.ts#createIntegrationAction": { permission: "integrations:manage", allowed: ["admin"] },
  "integrations.ts#updateIntegrationAction": { permission: "integrations:manage", allowed: ["admin"] },
  "integrations.ts#pauseIntegrationAction": { permission: "integrations:manage", allowed: ["admin"] },
  "integrations.ts#resumeIntegrationAction": { permission: "integrations:manage", allowed: ["admin"] },
  "integrations.ts#rotateSigningSecretAction": { permission: "integrations:manage", allowed: ["admin"] },
  "integrations.ts#sendTestSignalAction": { permission: "integrations:manage", allowed: ["admin"] },
  "deletions.ts#deleteCustomerAction": { permission: "customers:delete", allowed: ["admin", "privacy_officer"] },
  "deletion-requests.ts#extendDeletionAction": { permission: "customers:delete", allowed: ["admin", "privacy_officer"] },
  "deletion-batches.ts#approveDeletionBatchAction": { permission: "customers:delete", allowed: ["admin", "privacy_officer"] },
  "deletion-batches.ts#rejectDeletionBatchAction": { permission: "customers:delete", allowed: ["admin", "privacy_officer"] },
};

/** What lib/actions/define.ts makes: callable, with the permission it checks (null: public). */
type Result = { ok: boolean; error?: string; fieldErrors?: Record<string, unknown> };
type Action = ((previous: unknown, form: FormData) => Promise<Result>) & { permission?: unknown };
const ACTIONS_DIR = path.resolve("lib/actions");
const cookies = {} as Record<Role, string>;
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
  await seedDemoUsers(db.prisma);
  for (const user of DEMO_USERS) cookies[user.role] = await signInCookie(user.email, DEMO_PASSWORD);
});
afterAll(async () => db?.dispose());

describe("server actions", () => {
  // The action modules are the "use server" files; the others (define.ts, result.ts) are what actions are made of.
  const actionFiles = readdirSync(ACTIONS_DIR).filter(
    (f) => f.endsWith(".ts") && /^\s*["']use server["']/.test(readFileSync(path.join(ACTIONS_DIR, f), "utf8")),
  );
  const load = async (key: string) => {
    const [file, name] = key.split("#") as [string, string];
    return ((await import(path.join(ACTIONS_DIR, file))) as Record<string, Action>)[name]!;
  };

  it("are all listed in the authorization table", async () => {
    expect(actionFiles).toEqual(expect.arrayContaining(["auth.ts", "users.ts", "api-keys.ts", "consent.ts", "deliveries.ts"]));
    const found: string[] = [];
    for (const file of actionFiles) {
      const loaded = (await import(path.join(ACTIONS_DIR, file))) as Record<string, unknown>;
      for (const [name, value] of Object.entries(loaded)) if (typeof value === "function") found.push(`${file}#${name}`);
    }
    expect(found.sort()).toEqual(Object.keys(ACTIONS).sort());
  });

  it.each(Object.entries(ACTIONS))("%s is made with defineAction and declares the permission listed", async (key, rule) => {
    const action = await load(key);
    // A hand-written action has no declared permission: it would bypass the one shape.
    expect(action).toHaveProperty("permission");
    expect(action.permission).toBe("public" in rule ? null : rule.permission);
    // The table's roles are the grant table's: PRODUCT.md and permissions.ts agree.
    if (!("public" in rule)) for (const role of ROLES) expect(can(role, rule.permission)).toBe(rule.allowed.includes(role));
  });

  const guarded = Object.entries(ACTIONS).flatMap(([key, rule]) => ("allowed" in rule ? [[key, rule] as const] : []));

  describe.each(guarded)("%s", (key, rule) => {
    const run = async (cookie: string | null) => {
      requestHeaders = new Headers(cookie ? { cookie } : {});
      const action = await load(key);
      // An empty form: the role check comes before validation, so a refusal
      // shows as such and an allowed caller gets as far as field errors.
      return action(undefined, new FormData());
    };

    it("refuses an anonymous caller and writes nothing", async () => {
      const before = await db.prisma.auditEntry.count();
      expect(await run(null)).toEqual({ ok: false, error: "Your session has ended. Sign in again." });
      expect(await db.prisma.auditEntry.count()).toBe(before);
    });

    it.each(DEMO_USERS.map((u) => u.role))("as %s: allowed exactly when PRODUCT.md says so", async (role) => {
      const result = await run(cookies[role]);
      const refused = !result.ok && /role may not do this/.test(result.error ?? "");
      expect(refused).toBe(!rule.allowed.includes(role));
      // Past the role check, the empty form is refused field by field, one message each.
      if (!refused) expect(result).toMatchObject({ ok: false, fieldErrors: expect.objectContaining({}) });
      if (!refused) for (const message of Object.values(result.fieldErrors ?? {})) expect(message).toEqual(expect.any(String));
    });
  });
});
