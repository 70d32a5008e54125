import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELETE as deleteById } from "../../../app/api/customers/[id]/route.ts";
import { DELETE as deleteByExternalId } from "../../../app/api/storefront/v1/customers/[id]/route.ts";
import { createApiKey } from "../../auth/api-keys.ts";
import { ROLES, type Role } from "../../auth/permissions.ts";
import { insertIntegration } from "../../integrations/__tests__/fixtures.ts";
import { scanFor } from "../../testing/pii-scan.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { rowCounts } from "../../testing/surface.ts";
import { insertRichCustomer, TC_STRING } from "./fixtures.ts";

// The REST intake over real Request/Response objects and the real database:
// 202 for a new request, 200 with the same request again, 404 for an unknown
// or malformed id, 400/415/422 naming the field for a bad body, 401/403 for
// the wrong caller; and nothing written on any 4xx.

let db: TestDatabase;
const keys = {} as Record<Role, string>;

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
  for (const role of ROLES) keys[role] = (await createApiKey({ name: `${role} key`, role, createdById: null }, db.prisma)).key;
  await insertIntegration(db, { name: "Braze" });
  await insertIntegration(db, { name: "Meta", enabled: false });
});
afterAll(async () => db?.dispose());

type Call = { key?: string | null; body?: string; contentType?: string | null };
const ROUTES = {
  internal: (id: string, c: Call = {}) =>
    deleteById(request(`/api/customers/${encodeURIComponent(id)}`, c), { params: Promise.resolve({ id }) }),
  storefront: (id: string, c: Call = {}) =>
    deleteByExternalId(request(`/api/storefront/v1/customers/${encodeURIComponent(id)}`, c), { params: Promise.resolve({ id }) }),
};
function request(path: string, { key = keys.privacy_officer, body, contentType = body === undefined ? null : "application/json" }: Call) {
  const headers: Record<string, string> = {};
  if (key) headers.authorization = `Bearer ${key}`;
  if (contentType) headers["content-type"] = contentType;
  // As HTTP sends an empty body: with its length (a Request made here would otherwise stream zero bytes without one).
  if (body === "") headers["content-length"] = "0";
  return new Request(`http://localhost${path}`, { method: "DELETE", headers, body });
}
const erasedAt = async (id: string) =>
  (await db.driver.query<{ erased_at: Date | null }>(`SELECT erased_at FROM customers WHERE id = $1`, [id]))[0]!.erased_at;

describe.each(["internal", "storefront"] as const)("DELETE by %s id", (route) => {
  const call = ROUTES[route];
  const keyOf = (c: { id: string; externalId: string }) => (route === "internal" ? c.id : c.externalId);

  it("answers 202 with the request, erases at once, and answers 200 with the same request again", async () => {
    const c = await insertRichCustomer(db);
    const first = await call(keyOf(c), { body: JSON.stringify({ regime: "ccpa", reason: "Asked through the storefront" }) });
    expect(first.status).toBe(202);
    const { data } = await first.json();
    expect(data).toEqual({ request_id: expect.any(String), status: "erased", due_at: expect.any(String) });
    expect(first.headers.get("location")).toBe(`/api/deletion-requests/${data.request_id}`);
    const [row] = await db.driver.query<{ source: string; regime: string; reason: string; due_at: Date; received_at: Date }>(
      `SELECT source, regime, reason, due_at, received_at FROM deletion_requests WHERE id = $1`,
      [data.request_id],
    );
    expect(row).toMatchObject({ source: "api", regime: "ccpa", reason: "Asked through the storefront" });
    expect(new Date(data.due_at).toISOString()).toBe(row!.due_at.toISOString());
    expect(await erasedAt(c.id)).not.toBeNull();
    // Only the delete signals still hold the external id, until acknowledged (the TC string is every fixture customer's, so not searched).
    const needles = c.needles.filter((n) => n !== TC_STRING);
    expect((await scanFor(db.driver, needles)).map((h) => h.table)).toEqual(["integration_signals"]);

    const signals = await db.driver.query(`SELECT id FROM integration_signals WHERE deletion_request_id = $1`, [data.request_id]);
    const again = await call(keyOf(c));
    expect(again.status).toBe(200);
    expect((await again.json()).data).toEqual(data);
    expect(await db.driver.query(`SELECT id FROM integration_signals WHERE deletion_request_id = $1`, [data.request_id])).toEqual(signals);
  });

  it("takes no body, an empty body, or {} under the default regime", async () => {
    for (const c of [{}, { body: "" }, { body: "{}" }, { body: "", contentType: null }]) {
      const customer = await insertRichCustomer(db);
      const response = await call(keyOf(customer), c);
      expect(response.status, JSON.stringify(c)).toBe(202);
      const { data } = await response.json();
      const [row] = await db.driver.query<{ regime: string }>(`SELECT regime FROM deletion_requests WHERE id = $1`, [data.request_id]);
      expect(row!.regime).toBe("gdpr");
    }
  });

  it("answers 404 not_found for an unknown or malformed id, writing nothing", async () => {
    const before = await rowCounts(db);
    const ids = route === "internal" ? ["00000000-0000-4000-8000-00000000dead", "not-a-uuid", "1"] : ["nobody-here", "x".repeat(201)];
    for (const id of ids) {
      const response = await call(id);
      expect(response.status, id).toBe(404);
      expect((await response.json()).error).toMatchObject({ code: "not_found", fields: { id: expect.any(String) } });
    }
    expect(await rowCounts(db)).toEqual(before);
  });

  it("refuses a bad body by field, erasing nothing", async () => {
    const c = await insertRichCustomer(db);
    const before = await rowCounts(db);
    const cases: Array<[Call, number, string]> = [
      [{ body: "{not json" }, 400, "body"],
      [{ body: "null" }, 422, "body"],
      [{ body: "[]" }, 422, "body"],
      [{ body: '{"regime": "lgpd"}' }, 422, "regime"],
      [{ body: '{"regime": "gdpr", "customer": "someone"}' }, 422, "customer"],
      [{ body: JSON.stringify({ reason: "x".repeat(1001) }) }, 422, "reason"],
      [{ body: JSON.stringify({ reason: "nul\u0000" }) }, 422, "reason"],
      [{ body: '{"reason": 12}' }, 422, "reason"],
      [{ body: "regime=gdpr", contentType: "application/x-www-form-urlencoded" }, 415, "content-type"],
    ];
    for (const [c2, status, field] of cases) {
      const response = await call(keyOf(c), c2);
      expect(response.status, c2.body).toBe(status);
      expect(Object.keys((await response.json()).error.fields ?? {}), c2.body).toContain(field);
    }
    expect(await rowCounts(db)).toEqual(before);
    expect(await erasedAt(c.id)).toBeNull();
  });

  it("answers 401 without a valid key and 403 to roles without customers:delete, erasing nothing", async () => {
    const c = await insertRichCustomer(db);
    expect((await call(keyOf(c), { key: null })).status).toBe(401);
    expect((await call(keyOf(c), { key: "cd_not-a-key" })).status).toBe(401);
    for (const role of ["marketer", "auditor"] as const) {
      const response = await call(keyOf(c), { key: keys[role] });
      expect(response.status).toBe(403);
      expect((await response.json()).error.code).toBe("forbidden");
    }
    expect(await erasedAt(c.id)).toBeNull();
    expect((await call(keyOf(c), { key: keys.admin })).status).toBe(202);
  });
});

describe("the two routes together", () => {
  it("answer one request per customer, whichever id asks first", async () => {
    const c = await insertRichCustomer(db);
    const byExternal = await (await ROUTES.storefront(c.externalId)).json();
    const byInternal = await ROUTES.internal(c.id);
    expect(byInternal.status).toBe(200);
    expect((await byInternal.json()).data.request_id).toBe(byExternal.data.request_id);
  });
});
