import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";

// Next.js bundles route handlers and server actions separately, each with its
// own copy of lib/auth/api-keys.ts. A key revoked through one copy (the
// settings action) must be refused at once through the other (a route).

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ install: true });
});
afterAll(async () => db?.dispose());

it("shares the key cache between separately loaded copies of the module", async () => {
  const actions = await import("../api-keys.ts");
  vi.resetModules();
  const routes = await import("../api-keys.ts");
  expect(routes).not.toBe(actions);

  const key = await actions.createApiKey({ name: "shared cache", role: "auditor", createdById: null }, db.prisma);
  expect(await routes.authenticateApiKey(`Bearer ${key.key}`, db.prisma)).toMatchObject({ id: key.id, role: "auditor" });

  await db.prisma.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
  await actions.forgetApiKey(key.id, db.prisma);
  expect(await routes.authenticateApiKey(`Bearer ${key.key}`, db.prisma)).toBeNull();
});
