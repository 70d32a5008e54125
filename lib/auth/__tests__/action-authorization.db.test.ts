import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DEMO_PASSWORD, DEMO_USERS } from "../../seed/users.ts";
import { seedDemoUsers } from "../../seed/users.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import type { Role } from "../permissions.ts";
import { getAuth } from "../server.ts";

// Server actions read the request's cookies through next/headers; outside a
// Next.js request the test supplies them. Everything behind that is real:
// better-auth sessions, the database, the actions' own checks.
let requestHeaders = new Headers();
vi.mock("next/headers", () => ({ headers: async () => requestHeaders, cookies: async () => ({ get: () => undefined, set: () => {} }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

/**
 * Every server action, and which roles may run it, written out from PRODUCT.md
 * ("Who uses it"). A new action in lib/actions fails this test until listed.
 */
const ACTIONS: Record<string, { allowed: readonly Role[] } | { public: string }> = {
  "auth.ts#signInAction": { public: "signing in is what an anonymous visitor does" },
  "auth.ts#signOutAction": { public: "ends the caller's own session, if any" },
  "users.ts#createUserAction": { allowed: ["admin"] },
  "users.ts#changeUserRoleAction": { allowed: ["admin"] },
  "users.ts#deactivateUserAction": { allowed: ["admin"] },
  "users.ts#reactivateUserAction": { allowed: ["admin"] },
  "api-keys.ts#createApiKeyAction": { allowed: ["admin"] },
  "api-keys.ts#revokeApiKeyAction": { allowed: ["admin"] },
  "consent.ts#changeConsentAction": { allowed: ["admin", "privacy_officer", "marketer"] },
};

type Action = (previous: unknown, form: FormData) => Promise<{ ok: boolean; error?: string }>;
const ACTIONS_DIR = path.resolve("lib/actions");
const cookies = {} as Record<Role, string>;
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
  await seedDemoUsers(db.prisma);
  const auth = await getAuth();
  for (const user of DEMO_USERS) {
    const response = await auth.handler(
      new Request("http://localhost/api/auth/sign-in/email", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: user.email, password: DEMO_PASSWORD }),
      }),
    );
    cookies[user.role] = response.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
  }
});
afterAll(async () => db?.dispose());

describe("server actions", () => {
  it("are all listed in the authorization table", async () => {
    const found: string[] = [];
    for (const file of readdirSync(ACTIONS_DIR).filter((f) => f.endsWith(".ts") && f !== "result.ts")) {
      const loaded = (await import(path.join(ACTIONS_DIR, file))) as Record<string, unknown>;
      for (const [name, value] of Object.entries(loaded)) if (typeof value === "function") found.push(`${file}#${name}`);
    }
    expect(found.sort()).toEqual(Object.keys(ACTIONS).sort());
  });

  const guarded = Object.entries(ACTIONS).flatMap(([key, rule]) => ("allowed" in rule ? [[key, rule] as const] : []));

  describe.each(guarded)("%s", (key, rule) => {
    const run = async (cookie: string | null) => {
      requestHeaders = new Headers(cookie ? { cookie } : {});
      const [file, name] = key.split("#") as [string, string];
      const action = ((await import(path.join(ACTIONS_DIR, file))) as Record<string, Action>)[name]!;
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
    });
  });
});
