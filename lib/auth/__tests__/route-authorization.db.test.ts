import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { createApiKey } from "../api-keys.ts";
import { ROLES, type Role } from "../permissions.ts";
import { DEMO_PASSWORD, seedDemoUsers } from "../../seed/users.ts";
import { demoUser } from "../../seed/reference.ts";
import { isRoute } from "../../api/http.ts";
import { routeFiles, signInCookie } from "../../testing/surface.ts";

/**
 * Every route handler under app/api, and who may call it, written out from
 * PRODUCT.md ("Who uses it") rather than derived from the code under test.
 * A new route, or a new method on a route, fails this test until it is listed.
 */
type Guarded = {
  allowed: readonly Role[];
  path: string;
  /** Sent as JSON to a method that takes a body; an allowed caller must get `ok`. */
  body?: (role: Role) => unknown;
  /** What an allowed caller gets (default 200). */
  ok?: number;
  /** Route params passed as the handler's second argument, for app/api/.../[param]/route.ts. */
  params?: Record<string, string>;
  /** Puts back what an allowed call changed, before every call (a retried signal fails again). */
  reset?: () => Promise<unknown>;
  /**
   * A person's act (PRODUCT.md, "Bulk deletion": approving is never an API key's): every key is refused
   * whatever its role, and `allowed` names the roles that may, signed in.
   */
  people?: true;
};
/** A customer inserted in beforeAll, for routes under /api/customers/[id]. */
const ROUTE_CUSTOMER_ID = "00000000-0000-4000-8000-0000000c0de5";
/** An audience inserted in beforeAll, for routes under /api/audiences/[id]. */
const ROUTE_AUDIENCE_ID = "00000000-0000-4000-8000-0000000a0d1e";
/** An integration inserted in beforeAll, for routes under /api/integrations/[id]; its endpoint refuses connections at once. */
const ROUTE_INTEGRATION_ID = "00000000-0000-4000-8000-0000000a11ed";
/** An integration and a failed signal of it, inserted in beforeAll, for the delivery routes. */
const DELIVERY_INTEGRATION_ID = "00000000-0000-4000-8000-0000000a1e91";
const ROUTE_SIGNAL_ID = "00000000-0000-4000-8000-0000000a519a";
/** A deletion request inserted in beforeAll, for the routes under /api/deletion-requests/[id]. */
const ROUTE_DELETION_ID = "00000000-0000-4000-8000-0000000de1e7";
const unextend = () =>
  db.driver.query("UPDATE deletion_requests SET extension = 0, extension_reason = NULL WHERE id = $1", [ROUTE_DELETION_ID]);
/** Bulk deletions inserted in beforeAll: one to read, and two waiting for approval (uploaded by nobody here) to approve and to reject. */
const ROUTE_BATCH_ID = "00000000-0000-4000-8000-0000000ba7c1";
const ROUTE_APPROVE_BATCH_ID = "00000000-0000-4000-8000-0000000ba7c2";
const ROUTE_REJECT_BATCH_ID = "00000000-0000-4000-8000-0000000ba7c3";
const waitAgain = (id: string) => () => db.driver.query("UPDATE deletion_batches SET status = 'awaiting_approval' WHERE id = $1", [id]);
const failAgain = () => db.driver.query("UPDATE integration_signals SET status = 'failed' WHERE id = $1", [ROUTE_SIGNAL_ID]);
/** A customer each deletion call erases; before every call it is put back as new (its request then answers no more: the tombstone goes with it). */
const DELETION_CUSTOMER_ID = "00000000-0000-4000-8000-0000000de1e8";
const freshDeletionCustomer = async () => {
  await db.driver.query("DELETE FROM customers WHERE id = $1", [DELETION_CUSTOMER_ID]);
  await db.driver.query("INSERT INTO customers (id, external_id, email) VALUES ($1, 'route-deletion', 'route-deletion@example.test')", [
    DELETION_CUSTOMER_ID,
  ]);
};
const ROUTES: Record<string, Guarded | { public: string }> = {
  "GET app/api/audiences/[id]/send-preview/route.ts": {
    allowed: ["admin", "privacy_officer", "marketer", "auditor"],
    path: `/api/audiences/${ROUTE_AUDIENCE_ID}/send-preview?channel=email`,
    params: { id: ROUTE_AUDIENCE_ID },
  },
  "GET app/api/audit/export/route.ts": { allowed: ["admin", "auditor"], path: "/api/audit/export" },
  "GET app/api/customers/[id]/consent-history/route.ts": {
    allowed: ["admin", "privacy_officer", "marketer", "auditor"],
    path: `/api/customers/${ROUTE_CUSTOMER_ID}/consent-history?format=csv`,
    params: { id: ROUTE_CUSTOMER_ID },
  },
  "DELETE app/api/customers/[id]/route.ts": {
    allowed: ["admin", "privacy_officer"],
    path: `/api/customers/${DELETION_CUSTOMER_ID}`,
    params: { id: DELETION_CUSTOMER_ID },
    ok: 202,
    reset: freshDeletionCustomer,
  },
  "DELETE app/api/storefront/v1/customers/[id]/route.ts": {
    allowed: ["admin", "privacy_officer"],
    path: "/api/storefront/v1/customers/route-deletion",
    params: { id: "route-deletion" },
    body: () => ({ regime: "ccpa", reason: "Asked through the storefront" }),
    ok: 202,
    reset: freshDeletionCustomer,
  },
  "GET app/api/integrations/[id]/deliveries/route.ts": {
    allowed: ["admin", "privacy_officer", "auditor"],
    path: `/api/integrations/${DELIVERY_INTEGRATION_ID}/deliveries?status=failed`,
    params: { id: DELIVERY_INTEGRATION_ID },
  },
  "POST app/api/integrations/[id]/retry-failed/route.ts": {
    allowed: ["admin", "privacy_officer"],
    path: `/api/integrations/${DELIVERY_INTEGRATION_ID}/retry-failed`,
    params: { id: DELIVERY_INTEGRATION_ID },
    reset: failAgain,
  },
  "POST app/api/signals/[id]/retry/route.ts": {
    allowed: ["admin", "privacy_officer"],
    path: `/api/signals/${ROUTE_SIGNAL_ID}/retry`,
    params: { id: ROUTE_SIGNAL_ID },
    reset: failAgain,
  },
  "POST app/api/events/route.ts": {
    allowed: ["admin", "privacy_officer", "marketer"],
    path: "/api/events",
    // The customer beforeAll inserts, by its external id.
    body: () => ({ customer_id: "route-authorization", type: "purchase", amount: 12.5 }),
  },
  "GET app/api/integrations/route.ts": { allowed: ["admin", "privacy_officer", "auditor"], path: "/api/integrations" },
  "POST app/api/integrations/route.ts": {
    allowed: ["admin"],
    path: "/api/integrations",
    body: (role) => ({
      name: `Route ${role}`,
      vendor: `route-${role}`,
      endpoint_url: "http://127.0.0.1:9/hook",
      purposes: [],
      enabled: false,
    }),
    ok: 201,
  },
  "PATCH app/api/integrations/[id]/route.ts": {
    allowed: ["admin"],
    path: `/api/integrations/${ROUTE_INTEGRATION_ID}`,
    params: { id: ROUTE_INTEGRATION_ID },
    body: (role) => ({ name: `Renamed by ${role}` }),
  },
  "POST app/api/integrations/[id]/rotate-secret/route.ts": {
    allowed: ["admin"],
    path: `/api/integrations/${ROUTE_INTEGRATION_ID}/rotate-secret`,
    params: { id: ROUTE_INTEGRATION_ID },
    body: () => ({ overlap_hours: 1 }),
  },
  "POST app/api/integrations/[id]/test/route.ts": {
    allowed: ["admin"],
    path: `/api/integrations/${ROUTE_INTEGRATION_ID}/test`,
    params: { id: ROUTE_INTEGRATION_ID },
  },
  "GET app/api/storefront/v1/customers/[id]/consent/route.ts": {
    allowed: ["admin", "privacy_officer", "marketer", "auditor"],
    path: "/api/storefront/v1/customers/route-authorization/consent",
    params: { id: "route-authorization" },
  },
  "PATCH app/api/storefront/v1/customers/[id]/consent/route.ts": {
    allowed: ["admin", "privacy_officer", "marketer"],
    path: "/api/storefront/v1/customers/route-authorization/consent",
    params: { id: "route-authorization" },
    body: (role) => ({ consent: { purposes: { email_marketing: role === "marketer" } } }),
  },
  "GET app/api/deletion-requests/route.ts": {
    allowed: ["admin", "privacy_officer", "auditor"],
    path: "/api/deletion-requests?deadline=overdue",
  },
  "GET app/api/deletion-requests/[id]/route.ts": {
    allowed: ["admin", "privacy_officer", "auditor"],
    path: `/api/deletion-requests/${ROUTE_DELETION_ID}`,
    params: { id: ROUTE_DELETION_ID },
  },
  "GET app/api/deletion-requests/[id]/receipt/route.ts": {
    allowed: ["admin", "privacy_officer", "auditor"],
    path: `/api/deletion-requests/${ROUTE_DELETION_ID}/receipt`,
    params: { id: ROUTE_DELETION_ID },
  },
  "POST app/api/deletion-requests/[id]/extension/route.ts": {
    allowed: ["admin", "privacy_officer"],
    path: `/api/deletion-requests/${ROUTE_DELETION_ID}/extension`,
    params: { id: ROUTE_DELETION_ID },
    body: (role) => ({ extension: 1, reason: `Extended by ${role}` }),
    reset: unextend,
  },
  "POST app/api/deletion-batches/route.ts": {
    allowed: ["admin", "privacy_officer"],
    path: "/api/deletion-batches",
    body: (role) => ({ csv: "external_id\nroute-authorization\n", file_name: `route-${role}.csv` }),
    ok: 201,
  },
  "GET app/api/deletion-batches/[id]/route.ts": {
    allowed: ["admin", "privacy_officer", "auditor"],
    path: `/api/deletion-batches/${ROUTE_BATCH_ID}`,
    params: { id: ROUTE_BATCH_ID },
  },
  "GET app/api/deletion-batches/[id]/result/route.ts": {
    allowed: ["admin", "privacy_officer", "auditor"],
    path: `/api/deletion-batches/${ROUTE_BATCH_ID}/result`,
    params: { id: ROUTE_BATCH_ID },
  },
  "POST app/api/deletion-batches/[id]/approve/route.ts": {
    allowed: ["admin", "privacy_officer"],
    path: `/api/deletion-batches/${ROUTE_APPROVE_BATCH_ID}/approve`,
    params: { id: ROUTE_APPROVE_BATCH_ID },
    reset: waitAgain(ROUTE_APPROVE_BATCH_ID),
    people: true,
  },
  "POST app/api/deletion-batches/[id]/reject/route.ts": {
    allowed: ["admin", "privacy_officer"],
    path: `/api/deletion-batches/${ROUTE_REJECT_BATCH_ID}/reject`,
    params: { id: ROUTE_REJECT_BATCH_ID },
    reset: waitAgain(ROUTE_REJECT_BATCH_ID),
    people: true,
  },
  "GET app/api/openapi.json/route.ts": { public: "the API reference, generated from the zod schemas; it holds no data" },
  "GET app/api/auth/[...all]/route.ts": { public: "better-auth's own endpoints: sign-in, sign-out, session" },
  "POST app/api/auth/[...all]/route.ts": { public: "better-auth's own endpoints: sign-in, sign-out, session" },
};

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Handler = (request: Request, context?: unknown) => Promise<Response>;

let db: TestDatabase;
const keys = {} as Record<Role, string>;
/** A signed-in demo user's session per role, for the routes that are a person's act. */
const cookies = {} as Record<Role, string>;
let revoked: string;
// The integrations' endpoints here are on loopback (nothing leaves the machine); restored after.
const allowPrivate = process.env.INTEGRATIONS_ALLOW_PRIVATE;

beforeAll(async () => {
  process.env.INTEGRATIONS_ALLOW_PRIVATE = "1";
  db = await createTestDatabase({ install: true });
  await db.driver.query("INSERT INTO customers (id, external_id) VALUES ($1, 'route-authorization')", [ROUTE_CUSTOMER_ID]);
  await db.driver.query("INSERT INTO audiences (id, name) VALUES ($1, 'route-authorization')", [ROUTE_AUDIENCE_ID]);
  // Port 9 (discard): nothing listens, so a test signal is refused at once.
  await db.driver.query(
    "INSERT INTO integrations (id, name, vendor, endpoint) VALUES ($1, 'Route authorization', 'route-authorization', 'http://127.0.0.1:9/hook')",
    [ROUTE_INTEGRATION_ID],
  );
  await db.driver.query(
    "INSERT INTO integrations (id, name, vendor, endpoint) VALUES ($1, 'Route deliveries', 'route-deliveries', 'https://example.test/hook')",
    [DELIVERY_INTEGRATION_ID],
  );
  await db.driver.query(
    "INSERT INTO integration_signals (id, integration_id, kind, payload, status, attempts, failed_at) VALUES ($1, $2, 'consent_change', '{}', 'failed', 10, now())",
    [ROUTE_SIGNAL_ID, DELIVERY_INTEGRATION_ID],
  );
  await db.driver.query(
    `INSERT INTO deletion_requests (id, source, regime, requested_by_type, requested_by_label, received_at, due_at)
     VALUES ($1, 'api', 'gdpr', 'api_key', 'route-authorization', now() - interval '40 days', now() - interval '9 days')`,
    [ROUTE_DELETION_ID],
  );
  for (const [id, status] of [
    [ROUTE_BATCH_ID, "done"],
    [ROUTE_APPROVE_BATCH_ID, "awaiting_approval"],
    [ROUTE_REJECT_BATCH_ID, "awaiting_approval"],
  ])
    await db.driver.query(
      "INSERT INTO deletion_batches (id, status, regime, file_name, total_rows, created_by_id, created_by_label) VALUES ($1, $2, 'gdpr', 'route.csv', 0, 'someone-else', 'someone@example.com')",
      [id, status],
    );
  for (const role of ROLES) keys[role] = (await createApiKey({ name: `${role} key`, role, createdById: null }, db.prisma)).key;
  await seedDemoUsers(db.prisma);
  for (const role of ROLES) cookies[role] = await signInCookie(demoUser(role).email, DEMO_PASSWORD);
  const old = await createApiKey({ name: "revoked admin key", role: "admin", createdById: null }, db.prisma);
  await db.prisma.apiKey.update({ where: { id: old.id }, data: { revokedAt: new Date() } });
  revoked = old.key;
});
afterAll(async () => {
  if (allowPrivate === undefined) delete process.env.INTEGRATIONS_ALLOW_PRIVATE;
  else process.env.INTEGRATIONS_ALLOW_PRIVATE = allowPrivate;
  await db?.dispose();
});

describe("route handlers", () => {
  it("are all listed in the authorization table", async () => {
    const found: string[] = [];
    for (const file of routeFiles()) {
      const loaded = (await import(path.resolve(file))) as Partial<Record<(typeof METHODS)[number], Handler>>;
      for (const method of METHODS) if (loaded[method]) found.push(`${method} ${file}`);
    }
    expect(found.sort()).toEqual(Object.keys(ROUTES).sort());
  });

  it("are each made with route() (lib/api/http.ts), so a lost database connection answers 503, never a bare 500", async () => {
    for (const file of routeFiles()) {
      const loaded = (await import(path.resolve(file))) as Partial<Record<(typeof METHODS)[number], Handler>>;
      for (const method of METHODS) if (loaded[method]) expect(isRoute(loaded[method]), `${method} ${file}`).toBe(true);
    }
  });

  const guarded = Object.entries(ROUTES).flatMap(([key, rule]) => ("allowed" in rule ? [[key, rule] as const] : []));

  describe.each(guarded)("%s", (key, rule) => {
    const [method, file] = key.split(" ") as [(typeof METHODS)[number], string];
    const call = async (authorization?: string, role?: Role, session?: Record<string, string>) => {
      await rule.reset?.();
      const loaded = (await import(path.resolve(file))) as Record<string, Handler>;
      const headers: Record<string, string> = authorization ? { authorization } : { ...session };
      let body: string | undefined;
      if (rule.body) {
        headers["content-type"] = "application/json";
        body = JSON.stringify(rule.body(role ?? "admin"));
      }
      const request = new Request(`http://localhost${rule.path}`, { method, headers, body });
      return loaded[method]!(request, { params: Promise.resolve(rule.params ?? {}) });
    };

    it("answers 401 to an anonymous caller", async () => {
      expect((await call()).status).toBe(401);
    });

    it("answers 401 to a revoked key and to a malformed one", async () => {
      expect((await call(`Bearer ${revoked}`)).status).toBe(401);
      expect((await call("Bearer not-a-key")).status).toBe(401);
    });

    it.each(ROLES)("as %s: allowed exactly when PRODUCT.md says so", async (role) => {
      const response = await call(`Bearer ${keys[role]}`, role);
      expect(response.status).toBe(rule.allowed.includes(role) && !rule.people ? (rule.ok ?? 200) : 403);
      if (response.status >= 400)
        expect(await response.json()).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    });

    if (rule.people)
      it.each(ROLES)("as %s, signed in: allowed exactly when PRODUCT.md says so", async (role) => {
        const response = await call(undefined, role, { cookie: cookies[role], "sec-fetch-site": "same-origin" });
        expect(response.status).toBe(rule.allowed.includes(role) ? (rule.ok ?? 200) : 403);
      });
  });
});
