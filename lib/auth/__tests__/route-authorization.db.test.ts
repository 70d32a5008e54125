import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { createApiKey } from "../api-keys.ts";
import { ROLES, type Role } from "../permissions.ts";

/**
 * Every route handler under app/api, and who may call it, written out from
 * PRODUCT.md ("Who uses it") rather than derived from the code under test.
 * A new route, or a new method on a route, fails this test until it is listed.
 */
const ROUTES: Record<string, { allowed: readonly Role[]; path: string } | { public: string }> = {
  "GET app/api/audit/export/route.ts": { allowed: ["admin", "auditor"], path: "/api/audit/export" },
  "GET app/api/auth/[...all]/route.ts": { public: "better-auth's own endpoints: sign-in, sign-out, session" },
  "POST app/api/auth/[...all]/route.ts": { public: "better-auth's own endpoints: sign-in, sign-out, session" },
};

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Handler = (request: Request, context?: unknown) => Promise<Response>;

function routeFiles(dir = "app/api"): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}

let db: TestDatabase;
const keys = {} as Record<Role, string>;
let revoked: string;

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
  for (const role of ROLES) keys[role] = (await createApiKey(db.prisma, { name: `${role} key`, role, createdById: null })).key;
  const old = await createApiKey(db.prisma, { name: "revoked admin key", role: "admin", createdById: null });
  await db.prisma.apiKey.update({ where: { id: old.id }, data: { revokedAt: new Date() } });
  revoked = old.key;
});
afterAll(async () => db?.dispose());

describe("route handlers", () => {
  it("are all listed in the authorization table", async () => {
    const found: string[] = [];
    for (const file of routeFiles()) {
      const module = (await import(path.resolve(file))) as Partial<Record<(typeof METHODS)[number], Handler>>;
      for (const method of METHODS) if (module[method]) found.push(`${method} ${file}`);
    }
    expect(found.sort()).toEqual(Object.keys(ROUTES).sort());
  });

  const guarded = Object.entries(ROUTES).flatMap(([key, rule]) => ("allowed" in rule ? [[key, rule] as const] : []));

  describe.each(guarded)("%s", (key, rule) => {
    const [method, file] = key.split(" ") as [(typeof METHODS)[number], string];
    const call = async (authorization?: string) => {
      const module = (await import(path.resolve(file))) as Record<string, Handler>;
      const headers = authorization ? { authorization } : undefined;
      return module[method]!(new Request(`http://localhost${rule.path}`, { method, headers }));
    };

    it("answers 401 to an anonymous caller", async () => {
      expect((await call()).status).toBe(401);
    });

    it("answers 401 to a revoked key and to a malformed one", async () => {
      expect((await call(`Bearer ${revoked}`)).status).toBe(401);
      expect((await call("Bearer not-a-key")).status).toBe(401);
    });

    it.each(ROLES)("as %s: allowed exactly when PRODUCT.md says so", async (role) => {
      const response = await call(`Bearer ${keys[role]}`);
      expect(response.status).toBe(rule.allowed.includes(role) ? 200 : 403);
      if (response.status >= 400) expect(await response.json()).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    });
  });
});
