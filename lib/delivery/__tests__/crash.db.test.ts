import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../../testing/test-database.ts";
import { startWebhookReceiver, waitFor, type WebhookReceiver } from "../../testing/webhook-receiver.ts";
import { createDeliveryWorker } from "../worker.ts";
import { createIntegration, queueSignals } from "./fixtures.ts";

// The worker process killed with SIGKILL mid-batch (PostgreSQL: a second
// process needs a server): after another worker takes over, every signal is
// delivered, none lost, at most one duplicate per signal, each under its one
// webhook-id.

const onPostgres = testDatabaseKind() === "postgres";
let db: TestDatabase;
let hooks: WebhookReceiver;
let child: ChildProcess | undefined;

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
  hooks = await startWebhookReceiver(() => ({ status: 200, delayMs: 150 }));
});
afterAll(async () => {
  child?.kill("SIGKILL");
  await hooks?.close();
  await db?.dispose();
});

describe.runIf(onPostgres)("a worker killed mid-batch", () => {
  it("leaves nothing lost: its claims come back after the lease and are delivered, at most once more", async () => {
    const integration = await createIntegration(db.driver, hooks.url);
    const ids = await queueSignals(db.driver, integration.id, 60);
    if (db.config.kind !== "postgres") throw new Error("PostgreSQL only");
    child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", path.join(import.meta.dirname, "crash-worker.ts")], {
      env: { ...process.env, DATABASE_URL: db.config.url },
      stdio: ["ignore", "ignore", "inherit"],
    });
    const exited = new Promise((resolve) => child!.once("exit", resolve));

    // Mid-batch: some answered and recorded, others sent and waiting for their answer.
    await waitFor(() => hooks.requests.length >= 20, { timeoutMs: 30_000, what: "the first process to deliver some" });
    child.kill("SIGKILL");
    await exited;
    const [{ leased } = { leased: "0" }] = await db.driver.query<{ leased: string }>(
      `SELECT count(*) AS leased FROM integration_signals WHERE leased_by = 'crashing-worker'`,
    );
    expect(Number(leased)).toBeGreaterThan(0);

    const worker = createDeliveryWorker({ database: db, policy: { allowPrivate: true }, pollMs: 100, log: () => {} });
    await worker.start();
    try {
      await waitFor(
        async () =>
          (await db.driver.query(`SELECT 1 FROM integration_signals WHERE integration_id = $1 AND status <> 'delivered'`, [integration.id]))
            .length === 0,
        { timeoutMs: 30_000, intervalMs: 100, what: "every signal delivered" },
      );
    } finally {
      await worker.stop();
    }

    const perId = new Map<string, string[]>();
    for (const request of hooks.requests) perId.set(request.webhookId, [...(perId.get(request.webhookId) ?? []), request.body]);
    expect(new Set(perId.keys())).toEqual(new Set(ids));
    for (const bodies of perId.values()) {
      expect(bodies.length).toBeLessThanOrEqual(2);
      expect(new Set(bodies).size).toBe(1);
    }
    expect(hooks.maxConcurrentPerId).toBe(1);
  });
});
