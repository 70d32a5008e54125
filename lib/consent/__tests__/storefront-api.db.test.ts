import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET, PATCH } from "../../../app/api/storefront/v1/customers/[id]/consent/route.ts";
import { createApiKey } from "../../auth/api-keys.ts";
import { createCustomer } from "../../seed/factories.ts";
import { seedDatabase } from "../../seed/index.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../../testing/test-database.ts";

// The storefront consent API over its route handlers (PRODUCT.md, "The
// consent API"), against a real database: envelope, defaults, partial
// updates, If-Match, TC strings and every kind of bad input.

// A TCF v2 TC string from the IAB's examples (CMP 31, policy version 2).
const TC_STRING = "CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA";

let db: TestDatabase;
let key: string;
let auditorKey: string;
const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => db.driver.query<T>(sql, params);
const count = async (table: string) => Number((await q<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n);

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
  await seedDatabase(db.driver, { customers: 0, eventsPerCustomer: 0 });
  key = (await createApiKey({ name: "storefront", role: "marketer", createdById: null }, db.prisma)).key;
  auditorKey = (await createApiKey({ name: "auditor", role: "auditor", createdById: null }, db.prisma)).key;
});
afterAll(async () => db?.dispose());

function call(method: "GET" | "PATCH", id: string, body?: unknown, headers: Record<string, string> = {}, bearer = key) {
  const init: RequestInit = { method, headers: { authorization: `Bearer ${bearer}`, ...headers } };
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)["content-type"] = "application/json";
  }
  const handler = method === "GET" ? GET : PATCH;
  return handler(new Request(`http://localhost/api/storefront/v1/customers/${encodeURIComponent(id)}/consent`, init), {
    params: Promise.resolve({ id }),
  });
}

describe("GET", () => {
  it("answers the defaults when nothing is recorded: every purpose and vendor true", async () => {
    const response = await call("GET", "demo-ana");
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBe('"0"');
    expect(await response.json()).toEqual({
      data: {
        consent: {
          version: "2.0",
          consent_timestamp: null,
          customer_id: "demo-ana",
          consent_string: null,
          purposes: {
            behavioral_campaigns: true,
            email_marketing: true,
            push_notifications: true,
            coupon_campaigns: true,
            punchcard_campaigns: true,
            link_tracking: true,
          },
          vendors: { braze: true, meta: true, warehouse: true },
        },
      },
    });
  });

  it("answers a stored record with unnamed purposes and vendors as false", async () => {
    const body = (await (await call("GET", "demo-chen")).json()) as { data: { consent: Record<string, unknown> } };
    expect(body.data.consent).toMatchObject({
      customer_id: "demo-chen",
      purposes: { behavioral_campaigns: false, email_marketing: true, push_notifications: false, link_tracking: false },
      vendors: { braze: true, meta: false, warehouse: false },
    });
  });

  it("answers 404 with the error envelope for an unknown customer", async () => {
    const response = await call("GET", "nobody-here");
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: "not_found", message: expect.any(String), fields: { id: expect.any(String) } },
    });
  });
});

describe("PATCH", () => {
  it("changes only what it names, answers the stored consent and bumps the ETag", async () => {
    const response = await call("PATCH", "demo-dana", {
      consent: { purposes: { link_tracking: false }, consent_timestamp: "2026-11-01T10:00:00Z" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBe('"2"');
    const { data } = (await response.json()) as { data: { consent: { purposes: Record<string, boolean>; consent_timestamp: string } } };
    expect(data.consent.purposes).toEqual({
      behavioral_campaigns: true,
      email_marketing: true,
      push_notifications: true,
      coupon_campaigns: true,
      punchcard_campaigns: true,
      link_tracking: false,
    });
    expect(data.consent.consent_timestamp).toBe("2026-11-01T10:00:00.000Z");
    const [entry] = await q<{ source: string; actor_type: string; actor_label: string; changed: string[] }>(
      `SELECT source, actor_type, actor_label, changed FROM consent_changes WHERE customer_id = '00000000-0000-4000-8000-000000000004' ORDER BY version DESC LIMIT 1`,
    );
    expect(entry).toEqual({
      source: "api",
      actor_type: "api_key",
      actor_label: "storefront",
      changed: ["link_tracking", "consent_timestamp"],
    });
  });

  it("the first PATCH records: purposes it does not name become blocked (rule 4)", async () => {
    const response = await call(
      "PATCH",
      "demo-eli",
      { consent: { purposes: { email_marketing: true }, vendors: { braze: true } } },
      { "if-match": '"0"' },
    );
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as {
      data: { consent: { purposes: Record<string, boolean>; vendors: Record<string, boolean> } };
    };
    expect(data.consent.purposes).toEqual({
      behavioral_campaigns: false,
      email_marketing: true,
      push_notifications: false,
      coupon_campaigns: false,
      punchcard_campaigns: false,
      link_tracking: false,
    });
    expect(data.consent.vendors).toEqual({ braze: true, meta: false, warehouse: false });
  });

  it("keeps a valid TCF v2 consent string with its decoded fields", async () => {
    const response = await call("PATCH", "demo-bruno", { consent: { version: "2.2", consent_string: TC_STRING } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: { consent: { consent_string: string; version: string } } }).data.consent).toMatchObject({
      consent_string: TC_STRING,
      version: "2.2",
    });
    const [row] = await q<{ tcf: { cmpId: number; version: string; tcfPolicyVersion: number } }>(
      `SELECT tcf FROM customer_consents WHERE customer_id = '00000000-0000-4000-8000-000000000002'`,
    );
    expect(row!.tcf).toMatchObject({ cmpId: 31, version: "2.2", tcfPolicyVersion: 2 });
  });

  it("If-Match with an old version: 409 with the fresh state, nothing written", async () => {
    const before = await count("consent_changes");
    const response = await call("PATCH", "demo-bruno", { consent: { purposes: { email_marketing: true } } }, { "if-match": '"1"' });
    expect(response.status).toBe(409);
    const body = (await response.json()) as {
      error: { code: string; current_version: number; current: { purposes: Record<string, boolean> } };
    };
    expect(body.error).toMatchObject({ code: "conflict", current_version: 2, current: { purposes: { email_marketing: false } } });
    expect(await count("consent_changes")).toBe(before);
  });

  it.runIf(testDatabaseKind() === "postgres")(
    "two simultaneous PATCHes with the same If-Match: one wins, one gets 409, one history entry",
    async () => {
      const etag = (await call("GET", "demo-chen")).headers.get("etag")!;
      const before = await count("consent_changes");
      const statuses = (
        await Promise.all(
          [true, false].map((v) => call("PATCH", "demo-chen", { consent: { purposes: { coupon_campaigns: v } } }, { "if-match": etag })),
        )
      )
        .map((r) => r.status)
        .sort();
      expect(statuses).toEqual([200, 409]);
      expect(await count("consent_changes")).toBe(before + 1);
    },
  );

  const bad: Array<[string, unknown, number, string]> = [
    ["an unknown purpose", { consent: { purposes: { sms: true } } }, 422, "consent.purposes.sms"],
    ["a non-boolean", { consent: { purposes: { email_marketing: "yes" } } }, 422, "consent.purposes.email_marketing"],
    ["an unknown vendor", { consent: { vendors: { tiktok: true } } }, 422, "consent.vendors.tiktok"],
    ["an unknown top-level field", { consent: {}, extra: 1 }, 422, "extra"],
    ["no consent object", { purposes: { email_marketing: true } }, 422, "purposes"],
    ["a malformed TC string", { consent: { consent_string: "not a tc string!" } }, 422, "consent.consent_string"],
    ["a TC string that does not decode", { consent: { consent_string: "CPXxRfAPXxRfAAfKABENB" } }, 422, "consent.consent_string"],
    ["a bad timestamp", { consent: { consent_timestamp: "yesterday" } }, 422, "consent.consent_timestamp"],
    ["a timestamp in year 0", { consent: { consent_timestamp: "0000-06-01T00:00:00Z" } }, 422, "consent.consent_timestamp"],
    ["a timestamp in year 9999", { consent: { consent_timestamp: "9999-12-31T23:59:59-14:00" } }, 422, "consent.consent_timestamp"],
    ["a timestamp before 2000", { consent: { consent_timestamp: "1999-12-31T23:59:59Z" } }, 422, "consent.consent_timestamp"],
    [
      "a timestamp over 5 minutes ahead",
      { consent: { consent_timestamp: new Date(Date.now() + 10 * 60_000).toISOString() } },
      422,
      "consent.consent_timestamp",
    ],
    [
      "a customer_id other than the path's",
      { consent: { customer_id: "demo-ana", purposes: { email_marketing: false } } },
      422,
      "consent.customer_id",
    ],
    ["malformed JSON", '{"consent": ', 400, "body"],
  ];
  it.each(bad)("refuses %s by field name and writes nothing", async (_name, body, status, field) => {
    const before = [await count("consent_changes"), await count("integration_signals"), await count("audit_entries")];
    const response = await call("PATCH", "demo-dana", body);
    expect(response.status).toBe(status);
    const { error } = (await response.json()) as { error: { code: string; message: string; fields: Record<string, string> } };
    expect(Object.keys(error.fields)).toContain(field);
    expect([await count("consent_changes"), await count("integration_signals"), await count("audit_entries")]).toEqual(before);
  });

  it("stamps a PATCH without consent_timestamp with the time it was recorded, a first one and a later one alike", async () => {
    const { externalId } = await createCustomer(db.prisma);
    const stampOf = async (response: Response) =>
      ((await response.json()) as { data: { consent: { consent_timestamp: string } } }).data.consent.consent_timestamp;
    const before = Date.now();
    const first = await call("PATCH", externalId!, { consent: { purposes: { email_marketing: true } } });
    expect(first.status).toBe(200);
    const stamped = await stampOf(first);
    expect(stamped).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // The database's clock stamps it; allow for a clock a little apart from this process's.
    expect(Math.abs(new Date(stamped).getTime() - before)).toBeLessThan(60_000);
    const stored = async () =>
      (
        await q<{ consent_timestamp: Date; updated_at: Date }>(
          `SELECT cc.consent_timestamp, cc.updated_at FROM customer_consents cc JOIN customers c ON c.id = cc.customer_id WHERE c.external_id = $1`,
          [externalId],
        )
      )[0]!;
    expect((await stored()).consent_timestamp.toISOString()).toBe(stamped);

    // A later version without one (null asks for none): stamped when it is recorded, never empty.
    const later = await call("PATCH", externalId!, { consent: { purposes: { push_notifications: false }, consent_timestamp: null } });
    const restamped = await stampOf(later);
    expect(new Date(restamped).getTime()).toBeGreaterThanOrEqual(new Date(stamped).getTime());
    expect((await stored()).consent_timestamp.toISOString()).toBe(restamped);

    // The client's own timestamp is kept as sent.
    const given = "2026-03-01T08:30:00.000Z";
    expect(
      await stampOf(await call("PATCH", externalId!, { consent: { purposes: { link_tracking: false }, consent_timestamp: given } })),
    ).toBe(given);
  });

  it("answers 404 for an unknown customer, 400 for a malformed If-Match, 403 for an auditor", async () => {
    expect((await call("PATCH", "nobody-here", { consent: { purposes: { email_marketing: true } } })).status).toBe(404);
    expect((await call("PATCH", "demo-dana", { consent: { purposes: { email_marketing: true } } }, { "if-match": "abc" })).status).toBe(
      400,
    );
    expect((await call("PATCH", "demo-dana", { consent: { purposes: { email_marketing: true } } }, {}, auditorKey)).status).toBe(403);
  });
});
