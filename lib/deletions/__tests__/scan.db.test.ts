import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changeConsent } from "../../consent/change.ts";
import { createIntegration, type TestIntegration } from "../../delivery/__tests__/fixtures.ts";
import { createDeliveryWorker } from "../../delivery/worker.ts";
import { audienceSizesPerDay, eventsPerTypePerDay, pointsAndRewardsPerDay } from "../../reporting/totals.ts";
import { scanFor } from "../../testing/pii-scan.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { startVerifyingReceiver, type VerifyingReceiver } from "../../testing/verifying-receiver.ts";
import { requestDeletion } from "../erase.ts";
import { identifierHash } from "../tombstone.ts";
import { insertRichCustomer, officer, type RichCustomer } from "./fixtures.ts";

// The proof the issue asks for, end to end: a customer with something
// identifying everywhere the product stores it, real consent changes made
// through changeConsent (some of their signals delivered by the real worker
// to real receivers on 127.0.0.1, some still queued), three integrations
// whose receivers check every signature; then the deletion. Until every
// receiver has acknowledged, a scan of every text, varchar, JSON and array
// column of every table finds the identifiers in one place only, the delete
// signals' payloads (the external id each integration needs); afterwards
// nowhere at all. The receivers each hear one customer.deleted without
// email, phone or name, and reporting totals do not move.

let db: TestDatabase;
const worker = () => createDeliveryWorker({ database: db, policy: { allowPrivate: true }, random: () => 0.5, log: () => {} });
const receivers: VerifyingReceiver[] = [];
const tools: TestIntegration[] = [];

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
  for (let i = 0; i < 3; i++) {
    const receiver = await startVerifyingReceiver(`/hooks/${i}`);
    const integration = await createIntegration(db.driver, receiver.url);
    receiver.trust(integration.signingSecret);
    receivers.push(receiver);
    tools.push(integration);
  }
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await db?.dispose();
});

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const totals = async () => ({
  points: await pointsAndRewardsPerDay(db.driver),
  events: await eventsPerTypePerDay(db.driver),
  audiences: await audienceSizesPerDay(db.driver, day(-12), day(-1)),
});
const allow = (value: boolean) => ({ vendors: Object.fromEntries(tools.map((t) => [t.vendor, value])) });
const webhook = (r: { body: string }) => JSON.parse(r.body) as { type: string; data: Record<string, unknown> };

/** Every stored form of the identifiers: as given, lower-cased, the phone normalised and as digits only. */
function needles(c: RichCustomer): string[] {
  const forms = [...c.needles, c.name.toLowerCase(), c.email.toLowerCase(), c.phone.replace(/\D/g, ""), c.externalId.toLowerCase()];
  return [...new Set(forms)];
}

describe("after a deletion", () => {
  it("finds the identifiers only in the delete signals until every integration acknowledged, then nowhere", async () => {
    const c = await insertRichCustomer(db, { memberships: 3, events: 15, enrolments: 2 });
    const forms = needles(c);
    // Real consent changes: the first one's signals delivered and acknowledged, the second one's still queued.
    const delivered = await changeConsent({
      customer: { externalId: c.externalId },
      patch: allow(true),
      source: "api",
      actor: officer,
      reason: `Customer called from ${c.phone} as ${c.name}`,
    });
    expect(delivered.effects.signals).toHaveLength(3);
    expect((await worker().runOnce()).map((r) => r.outcome)).toEqual(["delivered", "delivered", "delivered"]);
    const queued = await changeConsent({
      customer: { id: c.id },
      patch: allow(false),
      source: "dashboard",
      actor: officer,
      reason: c.email,
    });
    expect(queued.effects.signals).toHaveLength(3);
    const before = await totals();
    // Before the erasure the scan finds the person all over the database (the scan itself works).
    const everywhere = new Set((await scanFor(db.driver, forms)).map((h) => `${h.table}.${h.column}`));
    for (const place of [
      "customers.email",
      "customers.name_search",
      "audience_memberships.email",
      "loyalty_events.attributes",
      "consent_changes.reason",
      "integration_signals.payload",
    ])
      expect(everywhere).toContain(place);

    const { request, created } = await requestDeletion({ customer: { id: c.id }, source: "dashboard", actor: officer });
    expect(created).toBe(true);
    expect(request.status).toBe("erased");

    // Before any acknowledgement: only the three delete signals carry the external id, nothing else anywhere.
    const onlyDeleteSignals = [{ table: "integration_signals", column: "payload", needle: c.externalId, rows: 3 }];
    expect(await scanFor(db.driver, forms)).toEqual(onlyDeleteSignals);
    const carriers = await db.driver.query<{ kind: string; deletion_request_id: string | null }>(
      `SELECT kind, deletion_request_id FROM integration_signals WHERE strpos(payload::text, $1) > 0`,
      [c.externalId],
    );
    expect(carriers).toEqual(tools.map(() => ({ kind: "delete", deletion_request_id: request.id })));
    // The queued consent changes were dropped; the delivered ones stay, under the tombstone's hash.
    const hash = identifierHash("external_id", c.externalId);
    const consentSignals = await db.driver.query<{ id: string; customer_id: string }>(
      `SELECT id, payload ->> 'customer_id' AS customer_id FROM integration_signals WHERE customer_id = $1 AND kind = 'consent_change' ORDER BY id`,
      [c.id],
    );
    expect(consentSignals.map((s) => s.id).sort()).toEqual(delivered.effects.signals.map((s) => s.id).sort());
    expect(consentSignals.every((s) => s.customer_id === hash)).toBe(true);
    expect(await totals()).toEqual(before);

    // The third receiver is down for the first try: two acknowledge, the request is still being notified.
    receivers[2]!.answer((r) => (r.n === 2 ? { status: 503 } : { status: 200, body: JSON.stringify({ id: `rcv_${r.n}` }) }));
    expect((await worker().runOnce()).map((r) => r.outcome).sort()).toEqual(["delivered", "delivered", "retry"]);
    const [notifying] = await db.driver.query<{ status: string }>(`SELECT status FROM deletion_requests WHERE id = $1`, [request.id]);
    expect(notifying!.status).toBe("notifying");
    expect(await scanFor(db.driver, forms)).toEqual(onlyDeleteSignals);

    // Its retry falls due and it acknowledges. (Time passes for the signal rather than for the worker's clock, which
    // stamps webhook-timestamp: the receiver checks that against its own clock, as a real one would.)
    await db.driver.query(
      `UPDATE integration_signals SET next_attempt_at = now() - interval '1 second' WHERE deletion_request_id = $1 AND status = 'retrying'`,
      [request.id],
    );
    expect((await worker().runOnce()).map((r) => r.outcome)).toEqual(["delivered"]);
    const [done] = await db.driver.query<{ status: string; completed_at: Date | null; identifier_hash: string }>(
      `SELECT status, completed_at, identifier_hash FROM deletion_requests WHERE id = $1`,
      [request.id],
    );
    expect(done).toMatchObject({ status: "completed", completed_at: expect.any(Date), identifier_hash: hash });
    expect(await scanFor(db.driver, forms)).toEqual([]);
    const scrubbed = await db.driver.query<{ customer_id: string }>(
      `SELECT payload ->> 'customer_id' AS customer_id FROM integration_signals WHERE deletion_request_id = $1`,
      [request.id],
    );
    expect(scrubbed).toEqual(tools.map(() => ({ customer_id: hash })));

    // Each receiver heard one customer.deleted (the third one twice, the same webhook-id), signed, naming only the external id.
    for (const [i, receiver] of receivers.entries()) {
      const deletes = receiver.requests.filter((r) => webhook(r).type === "customer.deleted");
      expect(new Set(deletes.map((r) => r.webhookId)).size, `receiver ${i}`).toBe(1);
      expect(deletes).toHaveLength(i === 2 ? 2 : 1);
      for (const r of deletes) {
        expect(r.verifiedBy, `receiver ${i}'s signature`).toEqual([tools[i]!.signingSecret]);
        expect(webhook(r).data).toEqual({ customer_id: c.externalId, request_id: request.id, erased_at: expect.any(String) });
        for (const personal of [c.email, c.email.toLowerCase(), c.phone, c.phone.replace(/\D/g, ""), c.name, c.pushToken])
          expect(r.body).not.toContain(personal);
      }
      // Before the deletion it had the first consent change, signed too, and never the queued one.
      const changes = receiver.requests.filter((r) => webhook(r).type === "customer.consent_changed");
      expect(changes.map((r) => r.webhookId)).toEqual([delivered.effects.signals.find((s) => s.integrationId === tools[i]!.id)!.id]);
    }
    expect(await totals()).toEqual(before);
  });

  it("finds nothing either when the receivers echo the external id as their reference", async () => {
    const c = await insertRichCustomer(db, { memberships: 1, events: 2 });
    const forms = needles(c);
    // A receiver may well name the person it updated in its answer: {"reference": "<the customer_id it was sent>"}.
    for (const receiver of receivers)
      receiver.answer((r) => ({ status: 200, body: JSON.stringify({ reference: `ok:${String(webhook(r).data.customer_id)}` }) }));
    await changeConsent({ customer: { id: c.id }, patch: allow(true), source: "api", actor: officer });
    expect((await worker().runOnce()).map((r) => r.outcome)).toEqual(["delivered", "delivered", "delivered"]);
    const echoed = await scanFor(db.driver, [c.externalId]);
    expect(echoed.map((h) => `${h.table}.${h.column}`).sort()).toEqual([
      "customers.external_id",
      "delivery_attempts.receiver_ref",
      "integration_signals.payload",
      "integration_signals.receiver_ref",
    ]);

    const { request } = await requestDeletion({ customer: { externalId: c.externalId }, source: "api", actor: officer });
    // The delivered consent changes' references go with their payloads; the delete signals alone still name the person.
    expect(await scanFor(db.driver, forms)).toEqual([{ table: "integration_signals", column: "payload", needle: c.externalId, rows: 3 }]);

    // The first receiver acknowledges while the others are down: its reference loses the external id at once, so the
    // receipt and the request page never show it, though the request is still notifying.
    for (const [i, receiver] of receivers.entries()) if (i > 0) receiver.answer(() => ({ status: 503 }));
    expect((await worker().runOnce()).map((r) => r.outcome).sort()).toEqual(["delivered", "retry", "retry"]);
    expect(await scanFor(db.driver, forms)).toEqual([{ table: "integration_signals", column: "payload", needle: c.externalId, rows: 3 }]);
    for (const receiver of receivers)
      receiver.answer((r) => ({ status: 200, body: JSON.stringify({ reference: `ok:${String(webhook(r).data.customer_id)}` }) }));
    await db.driver.query(
      `UPDATE integration_signals SET next_attempt_at = now() - interval '1 second' WHERE deletion_request_id = $1 AND status = 'retrying'`,
      [request.id],
    );
    expect((await worker().runOnce()).map((r) => r.outcome)).toEqual(["delivered", "delivered"]);
    const [done] = await db.driver.query<{ status: string }>(`SELECT status FROM deletion_requests WHERE id = $1`, [request.id]);
    expect(done!.status).toBe("completed");
    expect(await scanFor(db.driver, forms)).toEqual([]);
    // The references are kept as proof of receipt, under the tombstone's hash.
    const refs = await db.driver.query<{ receiver_ref: string }>(
      `SELECT a.receiver_ref FROM delivery_attempts a JOIN integration_signals s ON s.id = a.signal_id WHERE s.deletion_request_id = $1 AND a.receiver_ref IS NOT NULL`,
      [request.id],
    );
    expect(refs).toHaveLength(3);
    for (const ref of refs) expect(ref.receiver_ref).toBe(`ok:${identifierHash("external_id", c.externalId)}`);
  });
});
