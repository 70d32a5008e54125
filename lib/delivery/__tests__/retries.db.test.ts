import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../../testing/webhook-receiver.ts";
import { MAX_ATTEMPTS, nominalDelaySeconds, retryDelaySeconds } from "../schedule.ts";
import { createDeliveryWorker } from "../worker.ts";
import { attempts, createIntegration, pauseAllIntegrations, queueSignals, signal } from "./fixtures.ts";

// The retry schedule through the real worker, with a clock the test moves:
// a signal is due by the worker's clock, so days of retries run in a moment.
// The jitter's draw is fixed at 0.5, which makes every wait its nominal value.

let db: TestDatabase;
let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);
/** Moves the worker's clock past a wait of `seconds`. */
const advance = (seconds: number) => {
  offsetMs += seconds * 1000 + 1000;
};
const worker = () => createDeliveryWorker({ database: db, policy: { allowPrivate: true }, clock, random: () => 0.5, log: () => {} });
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
});
afterEach(async () => {
  await pauseAllIntegrations(db.driver);
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});
afterAll(async () => db?.dispose());

describe("retries", () => {
  it("after a 500, retries when the schedule says, not before, with the same webhook-id, and a receiver that recovers gets it", async () => {
    const hooks = await startWebhookReceiver(({ n }) => (n === 1 ? { status: 500 } : { status: 200, body: '{"id": 42}' }));
    receivers.push(hooks);
    const integration = await createIntegration(db.driver, hooks.url);
    const [id] = await queueSignals(db.driver, integration.id);

    const before = clock().getTime();
    expect((await worker().runOnce()).map((r) => r.outcome)).toEqual(["retry"]);
    const after = clock().getTime();
    const retrying = await signal(db.driver, id!);
    expect(retrying).toMatchObject({ status: "retrying", attempts: 1, last_status_code: 500, last_error: "The endpoint answered 500." });
    const due = new Date(retrying.next_attempt_at).getTime();
    expect(due).toBeGreaterThanOrEqual(before + nominalDelaySeconds(1) * 1000);
    expect(due).toBeLessThanOrEqual(after + nominalDelaySeconds(1) * 1000);

    // Not due yet by the worker's clock: nothing is claimed.
    expect(await worker().runOnce()).toEqual([]);
    advance(nominalDelaySeconds(1));
    expect((await worker().runOnce()).map((r) => r.outcome)).toEqual(["delivered"]);

    expect(hooks.requests.map((r) => r.webhookId)).toEqual([id, id]);
    const [first, second] = hooks.requests.map((r) => Number(r.headers["webhook-timestamp"]));
    expect(second! - first!).toBeGreaterThanOrEqual(nominalDelaySeconds(1));
    // The body is the same bytes on every attempt.
    expect(hooks.requests[1]!.body).toBe(hooks.requests[0]!.body);
    expect(await signal(db.driver, id!)).toMatchObject({ status: "delivered", attempts: 2, receiver_ref: "42", last_status_code: 200 });
    expect((await attempts(db.driver, id!)).map((a) => [a.attempt, a.outcome, a.status_code])).toEqual([
      [1, "retry", 500],
      [2, "delivered", 200],
    ]);
  });

  it("against a receiver that always answers 500, makes exactly the scheduled attempts, then leaves the signal failed", async () => {
    const hooks = await startWebhookReceiver(() => ({ status: 500 }));
    receivers.push(hooks);
    const integration = await createIntegration(db.driver, hooks.url);
    const [id] = await queueSignals(db.driver, integration.id);

    const waits: number[] = [];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const [record] = await worker().runOnce();
      expect(record).toMatchObject({ signalId: id, attempt, statusCode: 500 });
      const row = await signal(db.driver, id!);
      if (attempt < MAX_ATTEMPTS) {
        expect(row.status).toBe("retrying");
        const lastAttempt = (await attempts(db.driver, id!)).at(-1)!;
        const finishedAt = new Date(lastAttempt.started_at).getTime() + lastAttempt.latency_ms;
        waits.push(new Date(row.next_attempt_at).getTime() - finishedAt);
        advance(nominalDelaySeconds(attempt));
      }
    }

    // Each wait as scheduled, give or take the few milliseconds between the request's end and the decision.
    expect(waits).toHaveLength(MAX_ATTEMPTS - 1);
    waits.forEach((wait, i) => expect(Math.abs(wait - nominalDelaySeconds(i + 1) * 1000)).toBeLessThan(250));
    const failed = await signal(db.driver, id!);
    expect(failed).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS, last_status_code: 500, lease_until: null });
    expect(failed.failed_at).toBeInstanceOf(Date);
    expect(hooks.requests).toHaveLength(MAX_ATTEMPTS);
    expect((await attempts(db.driver, id!)).map((a) => a.outcome)).toEqual([...Array(MAX_ATTEMPTS - 1).fill("retry"), "failed"]);
    // Failed stays failed: days later nothing is claimed.
    advance(7 * 24 * 3600);
    expect(await worker().runOnce()).toEqual([]);
  });

  it("against a receiver that throttles (429, Retry-After: 1) for 60 s then answers 200, delivers the signal and never marks it failed", async () => {
    // The receiver throttles by the worker's clock, which the test moves to each retry instead of sleeping.
    const throttledUntil = clock().getTime() + 60_000;
    const hooks = await startWebhookReceiver(() =>
      clock().getTime() < throttledUntil ? { status: 429, headers: { "retry-after": "1" } } : { status: 200 },
    );
    receivers.push(hooks);
    const integration = await createIntegration(db.driver, hooks.url);
    const [id] = await queueSignals(db.driver, integration.id);
    // The shortest waits the jitter allows (0.8 of nominal), so the schedule is at its most eager.
    const eager = () => createDeliveryWorker({ database: db, policy: { allowPrivate: true }, clock, random: () => 0, log: () => {} });

    const statuses: string[] = [];
    for (let round = 0; round < 2 * MAX_ATTEMPTS; round++) {
      const [record] = await eager().runOnce();
      if (!record) break;
      const row = await signal(db.driver, id!);
      statuses.push(row.status);
      if (row.status !== "retrying") break;
      offsetMs += new Date(row.next_attempt_at).getTime() - clock().getTime() + 10;
    }

    expect(statuses).not.toContain("failed");
    expect(statuses.at(-1)).toBe("delivered");
    const tried = await attempts(db.driver, id!);
    expect(tried.map((a) => [a.outcome, a.status_code])).toEqual([
      ["retry", 429],
      ["retry", 429],
      ["delivered", 200],
    ]);
    // Each wait as long as the schedule's (48 s, then 153.6 s), not the 1 s the receiver asked for.
    const [first, second, third] = tried.map((a) => new Date(a.started_at).getTime());
    expect(second! - first!).toBeGreaterThanOrEqual(retryDelaySeconds(1, 0) * 1000);
    expect(third! - second!).toBeGreaterThanOrEqual(retryDelaySeconds(2, 0) * 1000);
  });

  it("against a receiver that always throttles with Retry-After: 1, fails the signal only after the three-day schedule", async () => {
    const hooks = await startWebhookReceiver(() => ({ status: 503, headers: { "retry-after": "1" } }));
    receivers.push(hooks);
    const integration = await createIntegration(db.driver, hooks.url);
    const [id] = await queueSignals(db.driver, integration.id);
    const firstAt = clock().getTime();

    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      expect(await worker().runOnce()).toMatchObject([{ signalId: id, attempt, statusCode: 503 }]);
      const row = await signal(db.driver, id!);
      if (attempt < MAX_ATTEMPTS) {
        expect(row.status).toBe("retrying");
        // Not due a second later, nor a minute before the schedule's wait ends.
        offsetMs += Math.max(1, nominalDelaySeconds(attempt) - 60) * 1000;
        expect(await worker().runOnce()).toEqual([]);
        offsetMs = new Date(row.next_attempt_at).getTime() - Date.now() + 10;
      }
    }

    const failed = await signal(db.driver, id!);
    expect(failed.status).toBe("failed");
    expect((new Date(failed.failed_at!).getTime() - firstAt) / 86_400_000).toBeGreaterThan(3);
    expect(hooks.requests).toHaveLength(MAX_ATTEMPTS);
  });

  it("retries a receiver that is down (connection refused) and delivers once it is back", async () => {
    const down = await startWebhookReceiver();
    const port = down.port;
    await down.close();
    const integration = await createIntegration(db.driver, `http://127.0.0.1:${port}/`);
    const [id] = await queueSignals(db.driver, integration.id);

    expect(await worker().runOnce()).toMatchObject([{ outcome: "retry", statusCode: null, error: "The endpoint refused the connection." }]);

    const up = await startWebhookReceiver(() => ({ status: 202 }));
    receivers.push(up);
    await db.driver.query(`UPDATE integrations SET endpoint = $2 WHERE id = $1`, [integration.id, up.url]);
    advance(nominalDelaySeconds(1));
    expect(await worker().runOnce()).toMatchObject([{ outcome: "delivered", statusCode: 202 }]);
    expect(up.requests.map((r) => r.webhookId)).toEqual([id]);
  });

  it("starts a fresh schedule after a person retries a failed signal (attempt_base), keeping its webhook-id", async () => {
    const hooks = await startWebhookReceiver(() => ({ status: 503 }));
    receivers.push(hooks);
    const integration = await createIntegration(db.driver, hooks.url);
    const [id] = await queueSignals(db.driver, integration.id);
    // As if it had failed its last attempt, then a person retried it by hand (what the manual retry writes).
    await db.driver.query(
      `UPDATE integration_signals SET attempts = $2, status = 'pending', attempt_base = $2, next_attempt_at = now() WHERE id = $1`,
      [id, MAX_ATTEMPTS],
    );

    const before = clock().getTime();
    expect(await worker().runOnce()).toMatchObject([{ attempt: MAX_ATTEMPTS + 1, outcome: "retry" }]);
    const row = await signal(db.driver, id!);
    expect(row.status).toBe("retrying");
    expect(new Date(row.next_attempt_at).getTime() - before).toBeGreaterThanOrEqual(nominalDelaySeconds(1) * 1000);
    expect(new Date(row.next_attempt_at).getTime() - before).toBeLessThan(nominalDelaySeconds(2) * 1000);
    expect(hooks.requests[0]!.webhookId).toBe(id);
  });
});
