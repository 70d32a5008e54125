import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../auth/actor.ts";
import { changeConsent } from "../../consent/change.ts";
import { everyPurpose } from "../../consent/model.ts";
import { createCustomer } from "../../seed/factories.ts";
import { seedDatabase } from "../../seed/index.ts";
import { DEMO_INTEGRATIONS } from "../../seed/reference.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../../testing/webhook-receiver.ts";
import { generateSigningSecret } from "../signing.ts";
import { createDeliveryWorker, type DeliveryWorkerOptions } from "../worker.ts";
import { attempts, createIntegration, pauseAllIntegrations, queueSignals, signal } from "./fixtures.ts";

// One attempt at a time, through the real worker (runOnce) and real HTTP on
// 127.0.0.1: what is sent, how it is signed, and what each kind of answer
// does to the signal and its integration. Signatures are checked with the
// standardwebhooks package, an implementation we did not write.

let db: TestDatabase;
const receivers: WebhookReceiver[] = [];
const receiver = async (...args: Parameters<typeof startWebhookReceiver>) => {
  const r = await startWebhookReceiver(...args);
  receivers.push(r);
  return r;
};
const worker = (options: Partial<DeliveryWorkerOptions> = {}) =>
  createDeliveryWorker({ database: db, policy: { allowPrivate: true }, log: () => {}, ...options });

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
  await seedDatabase(db.driver, { customers: 0, eventsPerCustomer: 0 });
});
afterEach(async () => {
  await pauseAllIntegrations(db.driver);
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});
afterAll(async () => db?.dispose());

const privacyOfficer: Actor = {
  kind: "user",
  id: "00000000-0000-4000-8000-0000000000bb",
  label: "privacy@example.com",
  role: "privacy_officer",
  ip: null,
  userAgent: null,
};

describe("delivering a signal", () => {
  it("sends a consent change as customer.consent_changed, signed, without personal data, and records the receiver's reference", async () => {
    const hooks = await receiver(() => ({ status: 200, body: JSON.stringify({ reference: "meta-1" }) }));
    const meta = DEMO_INTEGRATIONS[0];
    // Only Meta is connected, at this test's receiver.
    await db.driver.query(`UPDATE integrations SET enabled = (id = $1), endpoint = $2`, [meta.id, `${hooks.url}/hooks/meta`]);
    const customer = await createCustomer(db.prisma, { consent: { purposes: everyPurpose(true), vendors: { meta: true } } });
    const change = await changeConsent(
      {
        customer: { id: customer.id },
        patch: { vendors: { meta: false } },
        expectedVersion: 1,
        source: "dashboard",
        actor: privacyOfficer,
      },
      db,
    );
    const [queued] = await db.driver.query<{ id: string; created_at: Date }>(
      `SELECT id, created_at FROM integration_signals WHERE customer_id = $1`,
      [customer.id],
    );

    const records = await worker().runOnce();

    expect(records.map((r) => [r.signalId, r.outcome, r.statusCode])).toEqual([[queued!.id, "delivered", 200]]);
    const [request] = hooks.requests;
    expect(hooks.requests).toHaveLength(1);
    expect(request!.path).toBe("/hooks/meta");
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.webhookId).toBe(queued!.id);
    const verified = new Webhook(meta.signingSecret).verify(request!.body, request!.headers as Record<string, string>);
    expect(verified).toEqual(JSON.parse(request!.body));
    const body = JSON.parse(request!.body);
    expect(Object.keys(body).sort()).toEqual(["data", "timestamp", "type"]);
    expect(body.type).toBe("customer.consent_changed");
    expect(body.timestamp).toBe(new Date(queued!.created_at).toISOString());
    expect(body.data).toEqual({
      customer_id: customer.externalId,
      version: 2,
      changed: ["vendors.meta"],
      vendor: "meta",
      allowed: false,
      blocked_by: ["vendors.meta"],
      consent_change_id: String(change.change!.id),
      changed_at: expect.any(String),
    });
    for (const personal of [customer.email!, customer.phone!, customer.name!, customer.pushToken!])
      expect(request!.body).not.toContain(personal);

    const row = await signal(db.driver, queued!.id);
    expect(row).toMatchObject({ status: "delivered", attempts: 1, receiver_ref: "meta-1", last_status_code: 200, last_error: null });
    expect(row.lease_until).toBeNull();
    expect(row.leased_by).toBeNull();
    expect(row.delivered_at).toBeInstanceOf(Date);
    const [attempt] = await attempts(db.driver, queued!.id);
    expect(attempt).toMatchObject({ attempt: 1, status_code: 200, outcome: "delivered", receiver_ref: "meta-1", error: null });
    expect(attempt!.latency_ms).toBeGreaterThanOrEqual(0);
  });

  it("signs with both secrets during a rotation's overlap, and with the current one alone after it", async () => {
    const hooks = await receiver();
    const previous = generateSigningSecret();
    const integration = await createIntegration(db.driver, hooks.url, {
      previousSecret: previous,
      previousSecretExpiresAt: new Date(Date.now() + 3_600_000),
    });
    await queueSignals(db.driver, integration.id);
    await worker().runOnce();
    const [during] = hooks.requests;
    const headers = during!.headers as Record<string, string>;
    expect(headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(() => new Webhook(integration.signingSecret).verify(during!.body, headers)).not.toThrow();
    expect(() => new Webhook(previous).verify(during!.body, headers)).not.toThrow();

    await db.driver.query(`UPDATE integrations SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1`, [
      integration.id,
    ]);
    await queueSignals(db.driver, integration.id);
    await worker().runOnce();
    const after = hooks.requests[1]!;
    const afterHeaders = after.headers as Record<string, string>;
    expect(afterHeaders["webhook-signature"]!.split(" ")).toHaveLength(1);
    expect(() => new Webhook(integration.signingSecret).verify(after.body, afterHeaders)).not.toThrow();
    expect(() => new Webhook(previous).verify(after.body, afterHeaders)).toThrow();
  });

  it("sends each kind with its webhook type", async () => {
    const hooks = await receiver();
    const integration = await createIntegration(db.driver, hooks.url);
    for (const kind of ["delete", "test"] as const) await queueSignals(db.driver, integration.id, 1, kind);
    await worker().runOnce();
    expect(hooks.requests.map((r) => JSON.parse(r.body).type).sort()).toEqual(["customer.deleted", "integration.test"]);
  });
});

describe("answers that are not a success", () => {
  it("does not follow a redirect: the 302 is a failed attempt and its target hears nothing", async () => {
    const target = await receiver();
    const hooks = await receiver(() => ({ status: 302, headers: { location: `${target.url}/elsewhere` } }));
    const integration = await createIntegration(db.driver, hooks.url);
    const [id] = await queueSignals(db.driver, integration.id);

    const [record] = await worker().runOnce();

    expect(record).toMatchObject({ outcome: "retry", statusCode: 302 });
    expect(hooks.requests).toHaveLength(1);
    expect(target.connections).toBe(0);
    expect(await signal(db.driver, id!)).toMatchObject({
      status: "retrying",
      last_status_code: 302,
      last_error: "The endpoint answered 302.",
    });
  });

  it("gives up on an endpoint that does not answer within the timeout, and retries it", async () => {
    const hooks = await receiver(() => ({ status: 200, hang: true }));
    const integration = await createIntegration(db.driver, hooks.url);
    const [id] = await queueSignals(db.driver, integration.id);

    const [record] = await worker({ requestTimeoutMs: 300 }).runOnce();

    expect(record).toMatchObject({ outcome: "retry", statusCode: null, error: "No answer within 0.3 s." });
    expect(record!.latencyMs).toBeGreaterThanOrEqual(290);
    expect(record!.latencyMs).toBeLessThan(5_000);
    expect(await signal(db.driver, id!)).toMatchObject({
      status: "retrying",
      last_status_code: null,
      last_error: "No answer within 0.3 s.",
    });
    const [attempt] = await attempts(db.driver, id!);
    expect(attempt).toMatchObject({ outcome: "retry", status_code: null, error: "No answer within 0.3 s." });
  });

  it("disables the integration on 410 Gone, with an audit entry, and claims none of its other signals", async () => {
    const hooks = await receiver(() => ({ status: 410 }));
    const integration = await createIntegration(db.driver, hooks.url);
    const [first] = await queueSignals(db.driver, integration.id);
    // The others queued later: one claim at a time takes the first alone.
    await db.driver.query(`UPDATE integration_signals SET next_attempt_at = next_attempt_at - interval '1 minute' WHERE id = $1`, [first]);
    const others = await queueSignals(db.driver, integration.id, 3);

    const records = await worker({ concurrency: 1 }).runOnce();

    expect(records.map((r) => [r.signalId, r.outcome, r.disabledIntegration])).toEqual([[first, "disabled", true]]);
    expect(hooks.requests).toHaveLength(1);
    const [row] = await db.driver.query<{ enabled: boolean; disabled_reason: string; disabled_at: Date | null }>(
      `SELECT enabled, disabled_reason, disabled_at FROM integrations WHERE id = $1`,
      [integration.id],
    );
    expect(row).toMatchObject({ enabled: false, disabled_reason: "The endpoint answered 410 Gone: the integration was disabled." });
    expect(row!.disabled_at).toBeInstanceOf(Date);
    // The signal that met the 410 waits, due, for the integration to be resumed; the others were never tried.
    expect(await signal(db.driver, first!)).toMatchObject({ status: "retrying", attempts: 1, last_status_code: 410, lease_until: null });
    for (const id of others) expect(await signal(db.driver, id)).toMatchObject({ status: "pending", attempts: 0 });
    const entries = await db.driver.query<{ actor_type: string; actor_label: string; summary: { signal_id: string; status_code: number } }>(
      `SELECT actor_type, actor_label, summary FROM audit_entries WHERE action = 'integration.disable' AND target_id = $1`,
      [integration.id],
    );
    expect(entries).toEqual([
      { actor_type: "system", actor_label: "delivery worker", summary: expect.objectContaining({ signal_id: first, status_code: 410 }) },
    ]);
    // Resumed: its queue runs again.
    hooks.handler = () => ({ status: 204 });
    await db.driver.query(`UPDATE integrations SET enabled = true, disabled_reason = NULL, disabled_at = NULL WHERE id = $1`, [
      integration.id,
    ]);
    expect((await worker().runOnce()).map((r) => r.outcome)).toEqual(["delivered", "delivered", "delivered", "delivered"]);
  });
});

describe("a paused integration", () => {
  it("is told of an opt-out made while it was paused, once it is resumed", async () => {
    const hooks = await receiver(() => ({ status: 200 }));
    const braze = DEMO_INTEGRATIONS[1];
    await pauseAllIntegrations(db.driver);
    await db.driver.query(`UPDATE integrations SET endpoint = $2 WHERE id = $1`, [braze.id, `${hooks.url}/hooks/braze`]);
    const customer = await createCustomer(db.prisma, { consent: { purposes: everyPurpose(true), vendors: { braze: true } } });
    const change = { customer: { id: customer.id }, expectedVersion: 1, source: "dashboard" as const, actor: privacyOfficer };
    await changeConsent({ ...change, patch: { purposes: { email_marketing: false } } }, db);

    // Queued for Braze although it is paused, and not sent while it is.
    const queued = await db.driver.query<{ id: string; status: string }>(
      `SELECT id, status FROM integration_signals WHERE customer_id = $1 AND integration_id = $2`,
      [customer.id, braze.id],
    );
    expect(queued.map((q) => q.status)).toEqual(["pending"]);
    expect(await worker().runOnce()).toEqual([]);
    expect(hooks.requests).toHaveLength(0);

    await db.driver.query(`UPDATE integrations SET enabled = true WHERE id = $1`, [braze.id]);
    const records = await worker().runOnce();
    expect(records.map((r) => [r.signalId, r.outcome])).toEqual([[queued[0]!.id, "delivered"]]);
    expect(JSON.parse(hooks.requests[0]!.body).data).toMatchObject({
      customer_id: customer.externalId,
      allowed: false,
      blocked_by: ["email_marketing"],
    });
  });
});

describe("endpoints refused at send time", () => {
  it("without INTEGRATIONS_ALLOW_PRIVATE, never connects to a loopback endpoint, and records the refused attempt", async () => {
    const hooks = await receiver();
    const plain = await createIntegration(db.driver, `${hooks.url}/hooks/a`);
    // https to an IP literal: node connects to a literal without any DNS lookup, so the address is checked before connecting.
    const literal = await createIntegration(db.driver, `https://127.0.0.1:${hooks.port}/hooks/b`);
    const ipv6 = await createIntegration(db.driver, `https://[::1]:${hooks.port}/hooks/c`);
    const [a] = await queueSignals(db.driver, plain.id);
    const [b] = await queueSignals(db.driver, literal.id);
    const [c] = await queueSignals(db.driver, ipv6.id);

    const records = await worker({ policy: { allowPrivate: false } }).runOnce();

    expect(records).toHaveLength(3);
    expect(hooks.connections).toBe(0);
    expect((await attempts(db.driver, a!))[0]).toMatchObject({
      outcome: "retry",
      status_code: null,
      error: "The endpoint must be an https:// URL.",
    });
    for (const [id, address] of [
      [b, "127.0.0.1"],
      [c, "::1"],
    ] as const) {
      const [attempt] = await attempts(db.driver, id!);
      expect(attempt).toMatchObject({ outcome: "retry", status_code: null });
      expect(attempt!.error).toBe(`The endpoint resolves to ${address}, a private, loopback, link-local or metadata address.`);
      expect(await signal(db.driver, id!)).toMatchObject({ status: "retrying", attempts: 1 });
    }
  });
});
