import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../auth/api-keys.ts";
import { BAD_PARAM_VALUES, BAD_TEXT, eachStringLeaf, PROTOTYPE_KEYS, rawBodyVariants, repeatedValues } from "../testing/bad-input.ts";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";
import { DEMO_PASSWORD, seedDemoUsers } from "../seed/users.ts";
import { demoUser } from "../seed/reference.ts";
import { rowCounts, routeFiles, signInCookie } from "../testing/surface.ts";

// The net under every route handler: each one, listed here (a new route
// fails until it is), gets the bad-input corpus (lib/testing/bad-input.ts)
// in its path ids, its query parameters and its body, plus bodies generated
// by fast-check. Every answer is a 4xx whose error names a field, and no row
// of any table changes.

const CUSTOMER_ID = "00000000-0000-4000-8000-0000000f0220";
const AUDIENCE_ID = "00000000-0000-4000-8000-0000000f0221";
const EXTERNAL_ID = "fuzz-customer";
/** An integration whose endpoint (loopback, nothing listening) refuses at once: a test signal to it is answered, not delivered. */
const INTEGRATION_ID = "00000000-0000-4000-8000-0000000f0222";
/** Two integrations, one with a failed signal for the single retry and one whose failed signals the bulk retry takes. */
const DELIVERY_INTEGRATION_ID = "00000000-0000-4000-8000-0000000f0225";
const BULK_INTEGRATION_ID = "00000000-0000-4000-8000-0000000f0223";
const SIGNAL_ID = "00000000-0000-4000-8000-0000000f0224";
/** Customers the deletion routes erase (their good request), one per route: the other routes' customer stays as it is. */
const DELETE_CUSTOMER_ID = "00000000-0000-4000-8000-0000000f0226";
const DELETE_EXTERNAL_ID = "fuzz-delete";
/** A deletion request, not completed, for the deletion request routes. */
const DELETION_ID = "00000000-0000-4000-8000-0000000f0227";

/** A bulk deletion to read, and two waiting for approval (uploaded by nobody here): one to approve, one to reject. */
const BATCH_ID = "00000000-0000-4000-8000-0000000f0230";
const APPROVE_BATCH_ID = "00000000-0000-4000-8000-0000000f0231";
const REJECT_BATCH_ID = "00000000-0000-4000-8000-0000000f0232";

/** The id as a URL segment; the handler reads it from its params, so one that cannot be encoded (a lone surrogate) goes there alone. */
const urlSegment = (id: string) => {
  try {
    return encodeURIComponent(id);
  } catch {
    return "unencodable";
  }
};

type Route = {
  /** Path params as the handler receives them, with the one to fuzz. */
  params?: Record<string, string>;
  /** The query a good request sends; each parameter is fuzzed in turn. */
  query?: Record<string, string>;
  /** A good JSON body; each string leaf and the raw variants are fuzzed. */
  body?: Record<string, unknown>;
  path: (params: Record<string, string>) => string;
  /** A person's act, never an API key's (approving a bulk deletion): sent with a signed-in admin's session instead of the key. */
  person?: true;
  /** A route that also takes a file as its body (text/csv) with its other inputs in the query: that query is fuzzed too. */
  csv?: { query: Record<string, string>; body: string };
};
const ROUTES: Record<string, Route | { skip: string }> = {
  "GET app/api/audiences/[id]/send-preview/route.ts": {
    params: { id: AUDIENCE_ID },
    query: { channel: "email" },
    path: (p) => `/api/audiences/${urlSegment(p.id!)}/send-preview`,
  },
  "GET app/api/audit/export/route.ts": {
    query: { actor: "admin", action: "consent.change", from: "2026-01-01", to: "2026-12-01", targetId: CUSTOMER_ID },
    path: () => "/api/audit/export",
  },
  "GET app/api/customers/[id]/consent-history/route.ts": {
    params: { id: CUSTOMER_ID },
    query: { format: "json", purpose: "email_marketing" },
    path: (p) => `/api/customers/${urlSegment(p.id!)}/consent-history`,
  },
  "DELETE app/api/customers/[id]/route.ts": {
    params: { id: DELETE_CUSTOMER_ID },
    body: { regime: "gdpr", reason: "Asked by email" },
    path: (p) => `/api/customers/${urlSegment(p.id!)}`,
  },
  "DELETE app/api/storefront/v1/customers/[id]/route.ts": {
    params: { id: DELETE_EXTERNAL_ID },
    body: { regime: "ccpa", reason: "Asked through the storefront" },
    path: (p) => `/api/storefront/v1/customers/${urlSegment(p.id!)}`,
  },
  "GET app/api/integrations/[id]/deliveries/route.ts": {
    params: { id: DELIVERY_INTEGRATION_ID },
    query: { status: "failed", kind: "test", from: "2026-01-01", to: "2026-12-31T09:30", limit: "20" },
    path: (p) => `/api/integrations/${urlSegment(p.id!)}/deliveries`,
  },
  "POST app/api/integrations/[id]/retry-failed/route.ts": {
    params: { id: BULK_INTEGRATION_ID },
    path: (p) => `/api/integrations/${urlSegment(p.id!)}/retry-failed`,
  },
  "POST app/api/signals/[id]/retry/route.ts": {
    params: { id: SIGNAL_ID },
    path: (p) => `/api/signals/${urlSegment(p.id!)}/retry`,
  },
  "POST app/api/events/route.ts": {
    body: { customer_id: EXTERNAL_ID, type: "purchase", amount: 12.5, attributes: { store: "Downtown" } },
    path: () => "/api/events",
  },
  "GET app/api/integrations/route.ts": { path: () => "/api/integrations" },
  "POST app/api/integrations/route.ts": {
    body: { name: "Fuzz hook", vendor: "fuzz-hook", endpoint_url: "http://127.0.0.1:9/fuzz", purposes: ["email_marketing"], enabled: true },
    path: () => "/api/integrations",
  },
  "PATCH app/api/integrations/[id]/route.ts": {
    params: { id: INTEGRATION_ID },
    body: { name: "Fuzz target", endpoint_url: "http://127.0.0.1:9/fuzz-target", purposes: ["behavioral_campaigns"], enabled: true },
    path: (p) => `/api/integrations/${urlSegment(p.id!)}`,
  },
  "POST app/api/integrations/[id]/rotate-secret/route.ts": {
    params: { id: INTEGRATION_ID },
    body: { overlap_hours: 24 },
    path: (p) => `/api/integrations/${urlSegment(p.id!)}/rotate-secret`,
  },
  "POST app/api/integrations/[id]/test/route.ts": {
    params: { id: INTEGRATION_ID },
    path: (p) => `/api/integrations/${urlSegment(p.id!)}/test`,
  },
  "GET app/api/storefront/v1/customers/[id]/consent/route.ts": {
    params: { id: EXTERNAL_ID },
    path: (p) => `/api/storefront/v1/customers/${urlSegment(p.id!)}/consent`,
  },
  "PATCH app/api/storefront/v1/customers/[id]/consent/route.ts": {
    params: { id: EXTERNAL_ID },
    body: { consent: { purposes: { email_marketing: true }, vendors: { meta: true }, consent_timestamp: "2026-01-01T00:00:00Z" } },
    path: (p) => `/api/storefront/v1/customers/${urlSegment(p.id!)}/consent`,
  },
  "GET app/api/deletion-requests/route.ts": {
    query: {
      status: "received",
      regime: "gdpr",
      source: "api",
      deadline: "overdue",
      from: "2026-01-01",
      to: "2026-12-31T09:30",
      limit: "20",
    },
    path: () => "/api/deletion-requests",
  },
  "GET app/api/deletion-requests/[id]/route.ts": {
    params: { id: DELETION_ID },
    path: (p) => `/api/deletion-requests/${urlSegment(p.id!)}`,
  },
  "GET app/api/deletion-requests/[id]/receipt/route.ts": {
    params: { id: DELETION_ID },
    query: { download: "1" },
    path: (p) => `/api/deletion-requests/${urlSegment(p.id!)}/receipt`,
  },
  "POST app/api/deletion-requests/[id]/extension/route.ts": {
    params: { id: DELETION_ID },
    body: { extension: 1, reason: "Two accounts to reconcile" },
    path: (p) => `/api/deletion-requests/${urlSegment(p.id!)}/extension`,
  },
  "POST app/api/deletion-batches/route.ts": {
    body: { csv: `external_id\r\n${EXTERNAL_ID}\r\nnobody-here\r\n`, regime: "gdpr", reason: "Asked by email", file_name: "fuzz.csv" },
    // The dashboard's upload form sends this form (components/deletions/upload-batch.ts).
    csv: { query: { regime: "gdpr", reason: "Asked by email", file_name: "fuzz.csv" }, body: `external_id\r\n${EXTERNAL_ID}\r\n` },
    path: () => "/api/deletion-batches",
  },
  "GET app/api/deletion-batches/[id]/route.ts": {
    params: { id: BATCH_ID },
    path: (p) => `/api/deletion-batches/${urlSegment(p.id!)}`,
  },
  "GET app/api/deletion-batches/[id]/result/route.ts": {
    params: { id: BATCH_ID },
    path: (p) => `/api/deletion-batches/${urlSegment(p.id!)}/result`,
  },
  "POST app/api/deletion-batches/[id]/approve/route.ts": {
    params: { id: APPROVE_BATCH_ID },
    person: true,
    path: (p) => `/api/deletion-batches/${urlSegment(p.id!)}/approve`,
  },
  "POST app/api/deletion-batches/[id]/reject/route.ts": {
    params: { id: REJECT_BATCH_ID },
    person: true,
    path: (p) => `/api/deletion-batches/${urlSegment(p.id!)}/reject`,
  },
  "GET app/api/openapi.json/route.ts": { skip: "takes no input: a fixed document" },
  "GET app/api/auth/[...all]/route.ts": { skip: "better-auth's handler; sign-in input is fuzzed in lib/auth/__tests__" },
  "POST app/api/auth/[...all]/route.ts": { skip: "better-auth's handler; sign-in input is fuzzed in lib/auth/__tests__" },
};

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

let db: TestDatabase;
let key: string;
// The integration routes' endpoints are on loopback (nothing leaves the machine); restored after.
const allowPrivate = process.env.INTEGRATIONS_ALLOW_PRIVATE;

/** A signed-in admin's session, for the routes that are a person's act. */
let adminCookie = "";

beforeAll(async () => {
  process.env.INTEGRATIONS_ALLOW_PRIVATE = "1";
  db = await createTestDatabase({ install: true });
  await seedDemoUsers(db.prisma);
  adminCookie = await signInCookie(demoUser("admin").email, DEMO_PASSWORD);
  await db.driver.query("INSERT INTO customers (id, external_id, email) VALUES ($1, $2, 'fuzz@example.test')", [CUSTOMER_ID, EXTERNAL_ID]);
  await db.driver.query("INSERT INTO customers (id, email) VALUES ($1, 'fuzz-delete@example.test')", [DELETE_CUSTOMER_ID]);
  await db.driver.query("INSERT INTO customers (external_id, email) VALUES ($1, 'fuzz-delete-external@example.test')", [
    DELETE_EXTERNAL_ID,
  ]);
  await db.driver.query("INSERT INTO audiences (id, name) VALUES ($1, 'fuzz')", [AUDIENCE_ID]);
  await db.prisma.integration.create({ data: { name: "Meta", vendor: "meta", endpoint: "http://127.0.0.1:4010/meta", purposes: [] } });
  await db.prisma.integration.create({
    data: { id: INTEGRATION_ID, name: "Fuzz target", vendor: "fuzz-target", endpoint: "http://127.0.0.1:9/x" },
  });
  for (const [id, vendor] of [
    [DELIVERY_INTEGRATION_ID, "fuzz-deliveries"],
    [BULK_INTEGRATION_ID, "fuzz-bulk"],
  ])
    await db.driver.query("INSERT INTO integrations (id, name, vendor, endpoint) VALUES ($1, $2, $2, 'https://example.test/hook')", [
      id,
      vendor,
    ]);
  await db.driver.query(
    `INSERT INTO integration_signals (id, integration_id, kind, payload, status, attempts, failed_at)
     VALUES ($1, $2, 'consent_change', '{}', 'failed', 10, now()), (gen_random_uuid(), $3, 'consent_change', '{}', 'failed', 10, now())`,
    [SIGNAL_ID, DELIVERY_INTEGRATION_ID, BULK_INTEGRATION_ID],
  );
  await db.driver.query(
    `INSERT INTO deletion_requests (id, source, regime, requested_by_type, requested_by_label, received_at, due_at)
     VALUES ($1, 'api', 'gdpr', 'api_key', 'fuzz', now() - interval '40 days', now() - interval '9 days')`,
    [DELETION_ID],
  );
  for (const [id, status] of [
    [BATCH_ID, "done"],
    [APPROVE_BATCH_ID, "awaiting_approval"],
    [REJECT_BATCH_ID, "awaiting_approval"],
  ])
    await db.driver.query(
      "INSERT INTO deletion_batches (id, status, regime, file_name, total_rows, created_by_id, created_by_label) VALUES ($1, $2, 'gdpr', 'fuzz.csv', 0, 'someone-else', 'someone@example.com')",
      [id, status],
    );
  key = (await createApiKey({ name: "fuzz admin", role: "admin", createdById: null }, db.prisma)).key;
});
afterAll(async () => {
  if (allowPrivate === undefined) delete process.env.INTEGRATIONS_ALLOW_PRIVATE;
  else process.env.INTEGRATIONS_ALLOW_PRIVATE = allowPrivate;
  await db?.dispose();
});

async function call(method: string, file: string, url: string, params: Record<string, string>, body?: string, type = "application/json") {
  const loaded = (await import(path.resolve(file))) as Record<string, Handler>;
  const route = ROUTES[`${method} ${file}`];
  const headers: Record<string, string> =
    route && "person" in route && route.person
      ? { cookie: adminCookie, "sec-fetch-site": "same-origin" }
      : { authorization: `Bearer ${key}` };
  if (body !== undefined) headers["content-type"] = type;
  return loaded[method]!(new Request(`http://localhost${url}`, { method, headers, body }), { params: Promise.resolve(params) });
}

/** A refusal as the API must give it: 4xx, the error envelope, and at least one field named. */
async function expectNamedRefusal(response: Response, what: string) {
  expect(response.status, what).toBeGreaterThanOrEqual(400);
  expect(response.status, what).toBeLessThan(500);
  const body = (await response.json()) as { error?: { code?: string; message?: string; fields?: Record<string, string> } };
  expect(body.error?.message, what).toEqual(expect.any(String));
  expect(Object.keys(body.error?.fields ?? {}).length, `${what}: names a field`).toBeGreaterThan(0);
}

const query = (values: Record<string, string | readonly string[]>) => {
  const search = new URLSearchParams(
    Object.entries(values).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : v.map((one) => [k, one]))),
  ).toString();
  return search ? `?${search}` : "";
};

/** A refusal that names `name` among its fields. */
async function expectRefusalNaming(response: Response, name: string, what: string) {
  expect(response.status, what).toBeGreaterThanOrEqual(400);
  expect(response.status, what).toBeLessThan(500);
  const body = (await response.json()) as { error?: { fields?: Record<string, string> } };
  expect(Object.keys(body.error?.fields ?? {}), what).toContain(name);
}

describe("every route handler", () => {
  it("is listed in the fuzz table", async () => {
    const found: string[] = [];
    for (const file of routeFiles()) {
      const loaded = (await import(path.resolve(file))) as Partial<Record<(typeof METHODS)[number], Handler>>;
      for (const method of METHODS) if (loaded[method]) found.push(`${method} ${file}`);
    }
    expect(found.sort()).toEqual(Object.keys(ROUTES).sort());
  });

  const fuzzed = Object.entries(ROUTES).flatMap(([k, r]) => ("skip" in r ? [] : [[k, r] as const]));

  describe.each(fuzzed)("%s", (routeKey, route) => {
    const [method, file] = routeKey.split(" ") as [string, string];
    const params = route.params ?? {};
    const good = route.query ?? {};
    const url = (p: Record<string, string>, q: Record<string, string | readonly string[]>) => route.path(p) + query(q);

    it("answers the good request (so the refusals below are about the input)", async () => {
      const response = await call(method, file, url(params, good), params, route.body && JSON.stringify(route.body));
      expect(response.status).toBeLessThan(300);
    });

    it("refuses bad path ids by name, writing nothing", async () => {
      const before = await rowCounts(db);
      for (const name of Object.keys(params)) {
        for (const value of [...Object.values(BAD_TEXT), "x".repeat(5_000), ...PROTOTYPE_KEYS]) {
          const bad = { ...params, [name]: value };
          const response = await call(method, file, url(bad, good), bad, route.body && JSON.stringify(route.body));
          await expectNamedRefusal(response, `${name}=${JSON.stringify(value.slice(0, 20))}`);
        }
      }
      expect(await rowCounts(db)).toEqual(before);
    });

    // Routes with a body take no query parameters; a good body would write, so only reads are fuzzed here.
    it.runIf(method === "GET")("never answers 5xx to bad query values, and names a NUL", async () => {
      const before = await rowCounts(db);
      for (const name of [...Object.keys(good), "after", "before", ...PROTOTYPE_KEYS]) {
        for (const value of BAD_PARAM_VALUES) {
          const response = await call(
            method,
            file,
            url(params, { ...good, [name]: value }),
            params,
            route.body && JSON.stringify(route.body),
          );
          const what = `?${name}=${JSON.stringify(value.slice(0, 20))}`;
          expect(response.status, what).toBeLessThan(500);
          // NUL survives a URL; a lone surrogate does not (URLs carry it as U+FFFD), so only NUL is sure to arrive as sent.
          if (value === BAD_TEXT.nul && Object.hasOwn(good, name)) await expectNamedRefusal(response, what);
        }
      }
      expect(await rowCounts(db)).toEqual(before);
    });

    it.runIf(route.csv !== undefined)("takes the CSV form, and refuses its bad query parameters by name, writing nothing", async () => {
      const { query: goodCsv, body } = route.csv!;
      const upload = (q: Record<string, string | readonly string[]>) => call(method, file, url(params, q), params, body, "text/csv");
      expect((await upload(goodCsv)).status).toBeLessThan(300);
      const before = await rowCounts(db);
      for (const name of Object.keys(goodCsv)) {
        for (const value of [BAD_TEXT.nul, "x".repeat(20_000)]) {
          await expectNamedRefusal(await upload({ ...goodCsv, [name]: value }), `?${name}=${JSON.stringify(value.slice(0, 20))}`);
        }
      }
      for (const name of PROTOTYPE_KEYS) await expectNamedRefusal(await upload({ ...goodCsv, [name]: "x" }), `?${name}=x`);
      for (const name of Object.keys(goodCsv)) {
        for (const pair of repeatedValues(goodCsv[name]!))
          await expectRefusalNaming(await upload({ ...goodCsv, [name]: pair }), name, `?${name} twice`);
      }
      expect(await rowCounts(db)).toEqual(before);
    });

    it.runIf(Object.keys(good).length > 0)(
      "refuses each parameter given twice by name (no value silently wins), writing nothing",
      async () => {
        const before = await rowCounts(db);
        for (const name of Object.keys(good)) {
          for (const pair of repeatedValues(good[name]!)) {
            const response = await call(
              method,
              file,
              url(params, { ...good, [name]: pair }),
              params,
              route.body && JSON.stringify(route.body),
            );
            await expectRefusalNaming(response, name, `?${name}=${pair.join(`&${name}=`)}`);
          }
        }
        expect(await rowCounts(db)).toEqual(before);
      },
    );

    it.runIf(route.body !== undefined)("refuses bad bodies by name, writing nothing", async () => {
      const before = await rowCounts(db);
      const bodies = [
        ...Object.values(BAD_TEXT).flatMap((text) => eachStringLeaf(route.body, text).map((b) => JSON.stringify(b))),
        ...rawBodyVariants(route.body!),
      ];
      expect(bodies.length).toBeGreaterThan(10);
      for (const body of bodies) {
        const response = await call(method, file, url(params, good), params, body);
        await expectNamedRefusal(response, `body ${body.slice(0, 60)}`);
      }
      await expectNamedRefusal(await call(method, file, url(params, good), params, JSON.stringify(route.body), "text/plain"), "text/plain");
      expect(await rowCounts(db)).toEqual(before);
    });

    it.runIf(route.body !== undefined)(
      "never answers 5xx to generated bodies (fast-check), and writes nothing when it refuses",
      async () => {
        await fc.assert(
          fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (value) => {
            const before = await rowCounts(db);
            const response = await call(method, file, url(params, good), params, JSON.stringify(value));
            expect(response.status).toBeLessThan(500);
            if (response.status >= 400) expect(await rowCounts(db)).toEqual(before);
          }),
          { numRuns: 40 },
        );
      },
    );
  });
});
