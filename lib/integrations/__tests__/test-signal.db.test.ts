import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AuthorizationError } from "../../auth/actor.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { startVerifyingReceiver, verifiesWith, type VerifyingReceiver } from "../../testing/verifying-receiver.ts";
import { adminActor, auditEntries, marketerActor, storedText } from "../../users/__tests__/fixtures.ts";
import { CreateIntegrationSchema } from "../../validations/integrations.ts";
import { createIntegration, rotateSigningSecret } from "../manage.ts";
import { sendTestSignal, TEST_SIGNAL_MESSAGE, TEST_SIGNAL_WORKER } from "../test-signal.ts";

// "Send a test signal" against a real HTTP receiver on 127.0.0.1, which
// verifies every request with the standardwebhooks package: the signature,
// the body, the answer in words, and the signal recorded finished with its
// attempt. Rotation's overlap is checked the same way, with both secrets.

let db: TestDatabase;
let receiver: VerifyingReceiver;
const allowPrivate = process.env.INTEGRATIONS_ALLOW_PRIVATE;
let counter = 0;
/** The signatures a request carried (node gives a header once as a string). */
const signatures = (request: { headers: Record<string, string | string[] | undefined> }) =>
  String(request.headers["webhook-signature"]).split(" ");

async function addIntegration(endpoint: string) {
  const input = CreateIntegrationSchema.parse({
    name: "Receiver",
    vendor: `receiver-${++counter}`,
    endpoint_url: endpoint,
    purposes: ["email_marketing"],
  });
  return createIntegration(adminActor, input, { db: db.prisma });
}

beforeAll(async () => {
  // The receiver is on loopback, which only INTEGRATIONS_ALLOW_PRIVATE=1 lets through; restored after.
  process.env.INTEGRATIONS_ALLOW_PRIVATE = "1";
  db = await createTestDatabase({ install: true });
  receiver = await startVerifyingReceiver();
});
afterEach(() => {
  receiver.answer({ status: 200, body: JSON.stringify({ id: "rcv_default" }) });
  process.env.INTEGRATIONS_ALLOW_PRIVATE = "1";
});
afterAll(async () => {
  if (allowPrivate === undefined) delete process.env.INTEGRATIONS_ALLOW_PRIVATE;
  else process.env.INTEGRATIONS_ALLOW_PRIVATE = allowPrivate;
  await receiver?.close();
  await db?.dispose();
});

describe("sendTestSignal", () => {
  it("sends a signed integration.test request that standardwebhooks verifies, and records it delivered with its attempt", async () => {
    const { integration, signingSecret } = await addIntegration(receiver.url);
    receiver.trust(signingSecret);
    receiver.answer({ status: 202, body: JSON.stringify({ data: { receipt_id: "rcpt-42" } }) });
    const seen = receiver.requests.length;

    const result = await sendTestSignal(adminActor, integration.id, { db: db.prisma });
    expect(result).toMatchObject({ delivered: true, statusCode: 202, error: null, receiverRef: "rcpt-42" });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);

    expect(receiver.requests).toHaveLength(seen + 1);
    const request = receiver.requests.at(-1)!;
    expect(request.verifiedBy).toEqual([signingSecret]);
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers["webhook-id"]).toBe(result.signalId);
    expect(signatures(request)).toHaveLength(1);
    const body = JSON.parse(request.body) as { type: string; timestamp: string; data: Record<string, unknown> };
    expect(body).toEqual({
      type: "integration.test",
      timestamp: expect.any(String),
      data: { integration_id: integration.id, message: TEST_SIGNAL_MESSAGE },
    });
    // A tampered body no longer verifies: the check above is a real one.
    expect(verifiesWith(signingSecret, { ...request, body: request.body.replace("test", "tost") })).toBe(false);

    // Recorded finished, so the delivery worker never picks it up.
    const signal = await db.prisma.integrationSignal.findUniqueOrThrow({
      where: { id: result.signalId },
      include: { deliveryAttempts: true },
    });
    expect(signal).toMatchObject({
      integrationId: integration.id,
      kind: "test",
      status: "delivered",
      attempts: 1,
      lastStatusCode: 202,
      lastError: null,
      receiverRef: "rcpt-42",
      customerId: null,
      failedAt: null,
    });
    expect(signal.deliveredAt).toBeInstanceOf(Date);
    expect(signal.payload).toEqual(body.data);
    expect(new Date(body.timestamp)).toEqual(signal.createdAt);
    expect(signal.deliveryAttempts).toEqual([
      expect.objectContaining({
        attempt: 1,
        statusCode: 202,
        error: null,
        receiverRef: "rcpt-42",
        outcome: "delivered",
        worker: TEST_SIGNAL_WORKER,
      }),
    ]);

    const entry = (await auditEntries(db, integration.id)).find((e) => e.action === "integration.test");
    expect(entry?.summary).toMatchObject({ signal_id: result.signalId, delivered: true, status_code: 202, error: null });
    expect(storedText(entry)).not.toContain(signingSecret);
  });

  it("records a non-2xx answer as failed, in words, and never leaves it for the worker", async () => {
    const { integration, signingSecret } = await addIntegration(receiver.url);
    receiver.trust(signingSecret);
    receiver.answer({ status: 500, body: "oops" });
    const result = await sendTestSignal(adminActor, integration.id, { db: db.prisma });
    expect(result).toMatchObject({ delivered: false, statusCode: 500, error: "The endpoint answered 500.", receiverRef: null });
    expect(receiver.requests.at(-1)!.verifiedBy).toEqual([signingSecret]);
    const signal = await db.prisma.integrationSignal.findUniqueOrThrow({
      where: { id: result.signalId },
      include: { deliveryAttempts: true },
    });
    expect(signal).toMatchObject({
      status: "failed",
      attempts: 1,
      lastStatusCode: 500,
      lastError: "The endpoint answered 500.",
      deliveredAt: null,
    });
    expect(signal.failedAt).toBeInstanceOf(Date);
    expect(signal.deliveryAttempts).toEqual([expect.objectContaining({ outcome: "failed", statusCode: 500 })]);
    // Neither pending nor retrying: nothing is due for the worker.
    expect(await db.prisma.integrationSignal.count({ where: { kind: "test", status: { in: ["pending", "retrying"] } } })).toBe(0);
  });

  it("answers a refused connection with no status and the reason", async () => {
    // A port that was just free: nothing listens there.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { integration } = await addIntegration(`http://127.0.0.1:${port}/hook`);
    const result = await sendTestSignal(adminActor, integration.id, { db: db.prisma });
    expect(result).toMatchObject({ delivered: false, statusCode: null, error: "The endpoint refused the connection." });
    expect(await db.prisma.deliveryAttempt.findFirst({ where: { signalId: result.signalId } })).toMatchObject({
      statusCode: null,
      outcome: "failed",
    });
  });

  it("checks the endpoint again when sending: saved while loopback was allowed, refused once it is not", async () => {
    const { integration } = await addIntegration(receiver.url);
    const seen = receiver.requests.length;
    delete process.env.INTEGRATIONS_ALLOW_PRIVATE;
    const result = await sendTestSignal(adminActor, integration.id, { db: db.prisma });
    expect(result).toMatchObject({ delivered: false, statusCode: null, error: expect.stringContaining("https://") });
    expect(receiver.requests).toHaveLength(seen);
  });

  it("refuses a marketer, and sends nothing", async () => {
    const { integration } = await addIntegration(receiver.url);
    const seen = receiver.requests.length;
    await expect(sendTestSignal(marketerActor, integration.id, { db: db.prisma })).rejects.toBeInstanceOf(AuthorizationError);
    expect(receiver.requests).toHaveLength(seen);
  });
});

describe("rotation overlap, as a receiver sees it", () => {
  it("signs with both secrets during the overlap, each verifying alone; with no overlap only the new one", async () => {
    const { integration, signingSecret: old } = await addIntegration(receiver.url);
    const { signingSecret: fresh } = await rotateSigningSecret(adminActor, integration.id, { overlap_hours: 24 }, { db: db.prisma });
    receiver.trust(fresh, old);
    await sendTestSignal(adminActor, integration.id, { db: db.prisma });
    const during = receiver.requests.at(-1)!;
    expect(signatures(during)).toHaveLength(2);
    // A receiver that knows only the old secret keeps accepting during the overlap, as does one switched to the new.
    expect(during.verifiedBy).toEqual([fresh, old]);

    const { signingSecret: newest } = await rotateSigningSecret(adminActor, integration.id, { overlap_hours: 0 }, { db: db.prisma });
    receiver.trust(newest, fresh, old);
    await sendTestSignal(adminActor, integration.id, { db: db.prisma });
    // After a rotation with no overlap, only the newest secret verifies.
    const after = receiver.requests.at(-1)!;
    expect(signatures(after)).toHaveLength(1);
    expect(after.verifiedBy).toEqual([newest]);
  });

  it("stops signing with the old secret once the overlap has passed", async () => {
    const { integration, signingSecret: old } = await addIntegration(receiver.url);
    const { signingSecret: fresh } = await rotateSigningSecret(adminActor, integration.id, { overlap_hours: 1 }, { db: db.prisma });
    // As if the hour had passed.
    await db.prisma.integration.update({ where: { id: integration.id }, data: { previousSecretExpiresAt: new Date(Date.now() - 1000) } });
    receiver.trust(fresh, old);
    await sendTestSignal(adminActor, integration.id, { db: db.prisma });
    expect(receiver.requests.at(-1)!.verifiedBy).toEqual([fresh]);
  });
});
