import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { insertIntegration } from "../../integrations/__tests__/fixtures.ts";
import { DEMO_PASSWORD, DEMO_USERS, seedDemoUsers } from "../../seed/users.ts";
import { scanFor } from "../../testing/pii-scan.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { rowCounts, signInCookie } from "../../testing/surface.ts";
import type { Role } from "../../auth/permissions.ts";
import { insertRichCustomer, TC_STRING } from "./fixtures.ts";

// The profile's delete action end to end: a real sign-in session, the real
// database; only Next's request headers and revalidation are supplied.
let requestHeaders = new Headers();
vi.mock("next/headers", () => ({ headers: async () => requestHeaders, cookies: async () => ({ get: () => undefined, set: () => {} }) }));
const revalidated: string[] = [];
vi.mock("next/cache", () => ({ revalidatePath: (path: string) => revalidated.push(path) }));

const { deleteCustomerAction } = await import("../../actions/deletions.ts");

let db: TestDatabase;
const cookies = {} as Record<Role, string>;
const as = (role: Role) => (requestHeaders = new Headers({ cookie: cookies[role] }));
const requests = async (customerId: string) =>
  db.driver.query<{ id: string; source: string; regime: string; reason: string | null; requested_by_label: string }>(
    `SELECT id, source, regime, reason, requested_by_label FROM deletion_requests WHERE customer_id = $1`,
    [customerId],
  );

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
  await seedDemoUsers(db.prisma);
  for (const user of DEMO_USERS) cookies[user.role] = await signInCookie(user.email, DEMO_PASSWORD);
  await insertIntegration(db, { name: "Braze" });
});
afterAll(async () => db?.dispose());

describe("deleteCustomerAction", () => {
  it("refuses a wrong confirmation on the confirmation field and erases nothing", async () => {
    const c = await insertRichCustomer(db);
    const other = await insertRichCustomer(db);
    as("privacy_officer");
    const before = await rowCounts(db);
    const hits = await scanFor(db.driver, c.needles);
    for (const confirmation of [other.email, other.externalId, c.externalId.toUpperCase(), `${c.email}x`, c.name, c.id]) {
      const result = await deleteCustomerAction({ customerId: c.id, confirmation });
      expect(result, confirmation).toMatchObject({ ok: false, fieldErrors: { confirmation: expect.stringMatching(/does not match/i) } });
    }
    expect(await deleteCustomerAction({ customerId: c.id, confirmation: "  " })).toMatchObject({
      ok: false,
      fieldErrors: { confirmation: expect.any(String) },
    });
    expect(await rowCounts(db)).toEqual(before);
    expect(await scanFor(db.driver, c.needles)).toEqual(hits);
  });

  it.each(["marketer", "auditor"] as const)("refuses a %s, even with the right confirmation, and erases nothing", async (role) => {
    const c = await insertRichCustomer(db);
    as(role);
    const result = await deleteCustomerAction({ customerId: c.id, confirmation: c.email });
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/role may not do this/) });
    expect(await requests(c.id)).toEqual([]);
    const [row] = await db.driver.query<{ erased_at: Date | null }>(`SELECT erased_at FROM customers WHERE id = $1`, [c.id]);
    expect(row!.erased_at).toBeNull();
  });

  it("erases on the email (any case, trimmed) and answers the request; again answers the same request", async () => {
    const c = await insertRichCustomer(db);
    as("privacy_officer");
    revalidated.length = 0;
    const result = await deleteCustomerAction({
      customerId: c.id,
      confirmation: `  ${c.email.toUpperCase()} `,
      regime: "ccpa",
      reason: "Asked by email",
    });
    expect(result).toEqual({ ok: true, data: { requestId: expect.any(String), created: true } });
    const requestId = result.ok ? result.data.requestId : "";
    expect(await requests(c.id)).toEqual([
      { id: requestId, source: "dashboard", regime: "ccpa", reason: "Asked by email", requested_by_label: "privacy@example.com" },
    ]);
    expect(revalidated).toContain(`/customers/${c.id}`);
    // Only the delete signal still holds the external id, until the integration acknowledges (the TC string is every fixture customer's).
    const needles = c.needles.filter((n) => n !== TC_STRING);
    expect((await scanFor(db.driver, needles)).map((h) => h.table)).toEqual(["integration_signals"]);
    expect(await deleteCustomerAction({ customerId: c.id, confirmation: "anything" })).toEqual({
      ok: true,
      data: { requestId, created: false },
    });
  });

  it("erases on the external id as an admin, through a form, under the default regime", async () => {
    const c = await insertRichCustomer(db);
    as("admin");
    const form = new FormData();
    form.set("customerId", c.id);
    form.set("confirmation", c.externalId);
    form.set("regime", "");
    form.set("reason", "");
    const result = await deleteCustomerAction(undefined, form);
    expect(result).toMatchObject({ ok: true, data: { created: true } });
    expect(await requests(c.id)).toMatchObject([{ regime: "gdpr", reason: null }]);
  });

  it("names the bad fields and answers an unknown customer without writing", async () => {
    as("privacy_officer");
    const before = await rowCounts(db);
    expect(await deleteCustomerAction({ customerId: "not-a-uuid", confirmation: "x", regime: "lgpd" })).toMatchObject({
      ok: false,
      fieldErrors: { customerId: expect.any(String), regime: expect.any(String) },
    });
    expect(await deleteCustomerAction({ customerId: "00000000-0000-4000-8000-00000000dead", confirmation: "someone@example.com" })).toEqual(
      { ok: false, error: "This customer no longer exists." },
    );
    expect(await rowCounts(db)).toEqual(before);
  });
});
