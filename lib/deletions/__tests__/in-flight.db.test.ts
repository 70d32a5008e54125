import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changeConsent } from "../../consent/change.ts";
import { createIntegration, type TestIntegration } from "../../delivery/__tests__/fixtures.ts";
import { createDeliveryWorker } from "../../delivery/worker.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { startWebhookReceiver, waitFor, type ReceivedRequest, type WebhookReceiver } from "../../testing/webhook-receiver.ts";
import { requestDeletion } from "../erase.ts";
import { insertRichCustomer, officer } from "./fixtures.ts";

// A consent change already on its way to an integration when the customer
// is erased: the erasure drops its signal (the worker's finish then finds
// nothing to record), but the request is out. The delete signal to that
// integration waits for the claim's lease, so the integration never hears of
// a consent change after it heard of the deletion; the others are told at once.

let db: TestDatabase;
let slow: WebhookReceiver;
let quick: WebhookReceiver;
const tools: TestIntegration[] = [];
let release: () => void = () => {};
const gate = new Promise<void>((resolve) => (release = resolve));
const type = (r: ReceivedRequest) => (JSON.parse(r.body) as { type: string }).type;

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
  // The slow receiver holds its answer to the consent change until the test releases it.
  slow = await startWebhookReceiver(async (r) => {
    if (type(r) === "customer.consent_changed") await gate;
    return { status: 200, body: "{}" };
  });
  quick = await startWebhookReceiver();
  for (const receiver of [slow, quick]) tools.push(await createIntegration(db.driver, receiver.url));
});
afterAll(async () => {
  release();
  await Promise.all([slow?.close(), quick?.close()]);
  await db?.dispose();
});

const worker = (offsetMs = 0) =>
  createDeliveryWorker({ database: db, policy: { allowPrivate: true }, clock: () => new Date(Date.now() + offsetMs), log: () => {} });

describe("an erasure while a consent change is in flight", () => {
  it("tells that integration of the deletion only once the consent change's claim is over", async () => {
    const c = await insertRichCustomer(db, { memberships: 1, events: 1 });
    const vendors = (value: boolean) => ({ vendors: Object.fromEntries(tools.map((t) => [t.vendor, value])) });
    const change = await changeConsent({ customer: { id: c.id }, patch: vendors(true), source: "api", actor: officer });
    expect(change.effects.signals).toHaveLength(2);

    const first = worker().runOnce();
    await waitFor(() => slow.requests.length === 1, { what: "the consent change sent to the slow integration" });
    // The quick one's delivery is recorded: of the two, only the slow one is still in flight.
    await waitFor(
      async () =>
        (await db.driver.query(`SELECT 1 FROM integration_signals WHERE integration_id = $1 AND status = 'delivered'`, [tools[1]!.id]))
          .length > 0,
      { what: "the quick integration's consent change recorded delivered" },
    );
    const { request } = await requestDeletion({ customer: { id: c.id }, source: "dashboard", actor: officer });

    // Another worker, now: the quick integration is told; the slow one's delete waits for the lease on its consent change.
    const second = await worker().runOnce();
    expect(second.map((r) => [r.integrationId, r.outcome])).toEqual([[tools[1]!.id, "delivered"]]);
    expect(slow.requests.map(type)).toEqual(["customer.consent_changed"]);

    release();
    const firstRecords = await first;
    // The in-flight one was dropped by the erasure: its attempt finds no signal to record on.
    expect(firstRecords.find((r) => r.integrationId === tools[0]!.id)?.applied).toBe(false);
    // Past the lease (the worker's clock two minutes on), the slow integration is told, after its consent change was answered.
    const third = await worker(120_000).runOnce();
    expect(third.map((r) => [r.integrationId, r.outcome])).toEqual([[tools[0]!.id, "delivered"]]);
    expect(slow.requests.map(type)).toEqual(["customer.consent_changed", "customer.deleted"]);
    expect(slow.requests[0]!.answeredAt).toBeLessThan(slow.requests[1]!.receivedAt);
    const [done] = await db.driver.query<{ status: string }>(`SELECT status FROM deletion_requests WHERE id = $1`, [request.id]);
    expect(done!.status).toBe("completed");
  });
});
