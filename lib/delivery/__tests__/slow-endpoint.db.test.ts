import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { startWebhookReceiver, waitFor, type WebhookReceiver } from "../../testing/webhook-receiver.ts";
import { slotCap } from "../fair-share.ts";
import { createDeliveryWorker, type DeliveryWorker } from "../worker.ts";
import { createIntegration, pauseAllIntegrations, queueSignals } from "./fixtures.ts";

// One slow endpoint must not starve every integration (issue 16, item 4).
// Real HTTP on 127.0.0.1: one endpoint sends its headers and never finishes
// its answer, and keeps every request it gets open for the whole test (the
// request timeout, 15 s, is longer than the test window); a healthy
// endpoint's 200 signals must go out in about the time they take without it.

let db: TestDatabase;
const receivers: WebhookReceiver[] = [];
const workers: DeliveryWorker[] = [];
const CONCURRENCY = 16;
const SIGNALS = 200;

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
});
afterEach(async () => {
  await pauseAllIntegrations(db.driver);
  // Closing the receivers ends the hanging requests, so stopping the worker does not wait for their timeout.
  await Promise.all(receivers.splice(0).map((r) => r.close()));
  await Promise.all(workers.splice(0).map((w) => w.stop()));
});
afterAll(async () => db?.dispose());

describe("a worker with one hanging endpoint among its integrations", () => {
  it("delivers a healthy integration's 200 signals within 3x their usual time plus 2 s, the hanging one holding at most its share", async () => {
    const healthy = await startWebhookReceiver(() => ({ status: 200, delayMs: 10 }));
    const hanging = await startWebhookReceiver(() => ({ status: 200, hangAfterHeaders: true }));
    receivers.push(healthy, hanging);
    const slow = await createIntegration(db.driver, hanging.url);
    const quick = await createIntegration(db.driver, healthy.url);
    // The hanging integration's backlog is older than anything the healthy one queues: oldest-due-first alone would send it first.
    await db.driver.query(`UPDATE integrations SET enabled = false WHERE id = $1`, [slow.id]);
    await queueSignals(db.driver, slow.id, 100);
    await db.driver.query(`UPDATE integration_signals SET next_attempt_at = now() - interval '1 minute' WHERE integration_id = $1`, [
      slow.id,
    ]);

    let delivered = 0;
    /** The most requests the hanging endpoint held open at any of the healthy integration's first 150 deliveries. */
    let heldWhileBehind = 0;
    const worker = createDeliveryWorker({
      database: db,
      concurrency: CONCURRENCY,
      policy: { allowPrivate: true },
      log: () => {},
      onAttempt: (record) => {
        if (record.integrationId !== quick.id || record.outcome !== "delivered") return;
        delivered += 1;
        if (delivered > SIGNALS && delivered <= SIGNALS + 150) heldWhileBehind = Math.max(heldWhileBehind, hanging.requests.length);
      },
    });
    workers.push(worker);
    await worker.start();
    const deliverAll = async (deadlineMs: number, alsoResume?: string) => {
      const target = delivered + SIGNALS;
      const started = performance.now();
      await db.driver.transaction(async (tx) => {
        if (alsoResume) await tx.query(`UPDATE integrations SET enabled = true WHERE id = $1`, [alsoResume]);
        await queueSignals(tx, quick.id, SIGNALS);
      });
      await waitFor(() => delivered >= target, { timeoutMs: deadlineMs, intervalMs: 5, what: `${SIGNALS} deliveries` }).catch(() => {});
      return { ms: performance.now() - started, delivered: delivered - (target - SIGNALS) };
    };

    // The usual time: the hanging integration paused.
    const alone = await deliverAll(60_000);
    expect(alone.delivered).toBe(SIGNALS);

    // The same beside it, resumed with its older backlog in the transaction that queues the healthy one's signals.
    const bound = 3 * alone.ms + 2_000;
    const beside = await deliverAll(bound + 5_000, slow.id);
    console.log(
      `healthy integration, ${SIGNALS} signals: ${Math.round(alone.ms)} ms alone, ${Math.round(beside.ms)} ms beside a hanging endpoint ` +
        `(bound ${Math.round(bound)} ms); the hanging endpoint held ${heldWhileBehind} of ${CONCURRENCY} slots while the healthy one had work`,
    );

    expect(beside.delivered).toBe(SIGNALS);
    expect(beside.ms).toBeLessThanOrEqual(bound);
    // Half the slots while both had work; once the healthy queue ran dry, no more than the cap. Every request it
    // was sent is still open, none recorded: it held its slots for the whole window.
    expect(heldWhileBehind).toBe(CONCURRENCY / 2);
    await waitFor(() => hanging.requests.length === worker.state().inFlight, { what: "the hanging requests to arrive" });
    expect(hanging.requests.length).toBeLessThanOrEqual(slotCap(CONCURRENCY));
    expect(hanging.requests.every((r) => Number.isNaN(r.answeredAt))).toBe(true);
    const [{ n }] = (await db.driver.query<{ n: string }>(`SELECT count(*) AS n FROM delivery_attempts WHERE integration_id = $1`, [
      slow.id,
    ])) as [{ n: string }];
    expect(Number(n)).toBe(0);
  });
});
