import type { Database } from "../../lib/db/client.ts";
import { claimDue } from "../../lib/delivery/deliver.ts";
import { slotCap } from "../../lib/delivery/fair-share.ts";
import { createDeliveryWorker } from "../../lib/delivery/worker.ts";
import { summarize, type Summary } from "./stats.ts";

// The two situations bench/delivery.ts times beside its throughput runs
// (issue 16, item 4): the claim statement on a large backlog spread over
// several integrations (one of them paused with an older backlog, which a
// claim must not walk through), and a healthy integration's backlog while
// another integration's endpoint sends headers and never finishes.

export interface BacklogOptions {
  integrations: number;
  perIntegration: number;
  /** Signals of a paused integration, all older than the others'. */
  paused: number;
  samples: number;
  limit: number;
}

async function addIntegration(database: Database, vendor: string, endpoint: string, enabled = true): Promise<string> {
  const [row] = await database.driver.query<{ id: string }>(
    `INSERT INTO integrations (name, vendor, endpoint, enabled) VALUES ($1, $1, $2, $3) RETURNING id`,
    [vendor, endpoint, enabled],
  );
  return row!.id;
}

/** `count` signals, all due: the first `dueSecondsAgo` seconds ago, the others up to an hour later (never after now). */
async function queue(database: Database, integrationId: string, count: number, dueSecondsAgo: number): Promise<void> {
  await database.driver.query(
    `INSERT INTO integration_signals (integration_id, kind, payload, next_attempt_at)
     SELECT $1, 'consent_change', jsonb_build_object('customer_id', 'bench-' || n), now() - ($3::int - n % least(3600, $3::int + 1)) * interval '1 second'
     FROM generate_series(1, $2::int) AS n`,
    [integrationId, count, dueSecondsAgo],
  );
}

/**
 * Claims as the worker makes them, committed, each followed (untimed) by
 * marking its signals delivered, as the worker's record would: the steady
 * state of a worker working through the backlog. (Rolling each claim back
 * instead would grow the same rows' update chains sample after sample.)
 */
async function timeClaims(database: Database, samples: number, limit: number): Promise<Summary> {
  const times: number[] = [];
  const ctx = { driver: database.driver, workerId: "bench", leaseMs: 60_000, clock: () => new Date() };
  for (let i = 0; i < samples + 5; i++) {
    const started = performance.now();
    const rows = await claimDue(ctx, limit, { cap: slotCap(limit) });
    if (i >= 5) times.push(performance.now() - started);
    if (rows.length !== limit) throw new Error(`the claim took ${rows.length} of ${limit}`);
    await database.driver.query(
      `UPDATE integration_signals SET status = 'delivered', delivered_at = now(), lease_until = NULL, leased_by = NULL WHERE id = ANY($1::uuid[])`,
      [rows.map((r) => r.id)],
    );
  }
  return summarize(times);
}

/**
 * Claim statements on a backlog (ms per claim): first the enabled
 * integrations' backlog alone, then with a paused integration's older one
 * beside it. The rows are deleted afterwards, so the runs that follow start
 * from an empty queue.
 */
export async function backlogClaim(
  database: Database,
  endpoint: string,
  options: BacklogOptions,
): Promise<{ enabled: Summary; withPaused: Summary }> {
  const ids: string[] = [];
  for (let i = 0; i < options.integrations; i++) ids.push(await addIntegration(database, `backlog_${i}`, endpoint));
  for (const id of ids) await queue(database, id, options.perIntegration, 7_200);
  // Vacuumed as well as analysed before each phase, so autovacuum does not wake mid-measurement (it did, on 2 cores).
  await database.driver.exec("VACUUM ANALYZE integration_signals");
  const enabled = await timeClaims(database, options.samples, options.limit);
  await queue(database, await addIntegration(database, "backlog_paused", endpoint, false), options.paused, 86_400);
  await database.driver.exec("VACUUM ANALYZE integration_signals");
  const withPaused = await timeClaims(database, options.samples, options.limit);
  await database.driver.query(`UPDATE integrations SET enabled = false WHERE vendor LIKE 'backlog_%'`);
  await database.driver.query(
    `DELETE FROM integration_signals WHERE integration_id IN (SELECT id FROM integrations WHERE vendor LIKE 'backlog_%')`,
  );
  await database.driver.exec("VACUUM ANALYZE integration_signals");
  return { enabled, withPaused };
}

export interface SlowNeighbourResult {
  /** The healthy integration's signals delivered within the window, of those queued. */
  delivered: number;
  queued: number;
  seconds: number;
  /** Requests the hanging endpoint held open when the window closed. */
  hanging: number;
}

/**
 * A hanging integration with an older backlog beside a healthy one: how long
 * the healthy one's `signals` take (the window closes at `maxSeconds`).
 */
export async function slowNeighbour(
  database: Database,
  urls: { healthy: string; hanging: string },
  options: { signals: number; concurrency: number; maxSeconds: number },
): Promise<SlowNeighbourResult> {
  const hanging = await addIntegration(database, "bench_hanging", urls.hanging);
  const healthy = await addIntegration(database, "bench_healthy", urls.healthy);
  await queue(database, hanging, 10 * options.signals, 600);
  let delivered = 0;
  let inFlightHanging = 0;
  let done: () => void = () => {};
  const allDelivered = new Promise<void>((resolve) => (done = resolve));
  const worker = createDeliveryWorker({
    database,
    concurrency: options.concurrency,
    policy: { allowPrivate: true },
    log: () => {},
    onAttempt: (record) => {
      if (record.integrationId === healthy && record.outcome === "delivered" && ++delivered === options.signals) done();
    },
  });
  await worker.start();
  // Let the hanging integration's backlog take what slots it can before the healthy one's work arrives.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const started = performance.now();
  await queue(database, healthy, options.signals, 0);
  const timer = new Promise<void>((resolve) => setTimeout(resolve, options.maxSeconds * 1000));
  await Promise.race([allDelivered, timer]);
  const seconds = (performance.now() - started) / 1000;
  const [held] = await database.driver.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM integration_signals WHERE integration_id = $1 AND leased_by IS NOT NULL AND status IN ('pending', 'retrying')`,
    [hanging],
  );
  inFlightHanging = held?.n ?? 0;
  // The hanging requests end at their timeout; stopping waits for them, so pause that integration and let them go.
  await database.driver.query(`UPDATE integrations SET enabled = false WHERE id IN ($1, $2)`, [hanging, healthy]);
  await worker.stop();
  return { delivered, queued: options.signals, seconds, hanging: inFlightHanging };
}
