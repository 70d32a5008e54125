import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as postEvents } from "../../../app/api/events/route.ts";
import { GET, PATCH } from "../../../app/api/storefront/v1/customers/[id]/consent/route.ts";
import { createApiKey } from "../../auth/api-keys.ts";
import { changeConsent } from "../../consent/change.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { requestDeletion } from "../erase.ts";
import { CustomerErasedError } from "../errors.ts";
import { insertRichCustomer, officer, type RichCustomer } from "./fixtures.ts";

// After an erasure the consent API and event ingestion answer 410
// customer_erased for the erased external id, recognised through the
// tombstone (the row itself no longer holds it), and nothing is written.

let db: TestDatabase;
let key: string;
let erased: RichCustomer;
let live: RichCustomer;

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
  key = (await createApiKey({ name: "storefront", role: "admin", createdById: null }, db.prisma)).key;
  erased = await insertRichCustomer(db);
  live = await insertRichCustomer(db);
  await requestDeletion({ customer: { id: erased.id }, source: "dashboard", actor: officer });
});
afterAll(async () => db?.dispose());

const consentCall = (method: "GET" | "PATCH", id: string, body?: unknown) =>
  (method === "GET" ? GET : PATCH)(
    new Request(`http://localhost/api/storefront/v1/customers/${id}/consent`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    }),
    { params: Promise.resolve({ id }) },
  );
const eventsCall = (body: unknown) =>
  postEvents(
    new Request("http://localhost/api/events", {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  );
const count = async (table: string) => Number((await db.driver.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n);
const event = (customer: string) => ({ customer_id: customer, type: "purchase", amount: 12, occurred_at: new Date().toISOString() });

describe("an erased external id", () => {
  it("answers 410 customer_erased on the consent API, and 404 stays for ids never seen", async () => {
    const get = await consentCall("GET", erased.externalId);
    expect(get.status).toBe(410);
    expect((await get.json()).error.code).toBe("customer_erased");
    const changes = await count("consent_changes");
    const patch = await consentCall("PATCH", erased.externalId, { consent: { purposes: { email_marketing: true } } });
    expect(patch.status).toBe(410);
    expect(await count("consent_changes")).toBe(changes);
    expect((await consentCall("GET", "never-seen-anywhere")).status).toBe(404);
    expect((await consentCall("GET", live.externalId)).status).toBe(200);
  });

  it("answers 410 on event ingestion, naming the erased event, and stores nothing of the batch", async () => {
    const events = await count("loyalty_events");
    const response = await eventsCall({ events: [event(live.externalId), event(erased.externalId)] });
    expect(response.status).toBe(410);
    const body = await response.json();
    expect(body.error).toMatchObject({ code: "customer_erased", fields: { "events[1].customer_id": "This customer was erased" } });
    expect(await count("loyalty_events")).toBe(events);
    expect((await eventsCall({ events: [event(live.externalId)] })).status).toBe(200);
  });

  it("refuses a consent change by internal id too", async () => {
    await expect(
      changeConsent({ customer: { id: erased.id }, patch: { purposes: { email_marketing: true } }, source: "dashboard", actor: officer }),
    ).rejects.toThrow(CustomerErasedError);
  });
});
