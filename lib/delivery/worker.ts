import "server-only";
import { randomBytes } from "node:crypto";
import os from "node:os";
import { bindNamed } from "../db/named.ts";
import type { Database } from "../db/client.ts";
import { NEXT_DUE_SQL } from "./claim-sql.ts";
import { claimDue, deliverClaimed, type AttemptRecord, type DeliveryContext, type Send } from "./deliver.ts";
import { endpointPolicyFromEnv, type EndpointPolicy } from "./endpoint-policy.ts";
import { slotCap } from "./fair-share.ts";
import { listenForSignals, type Listener } from "./listen.ts";
import { createRecorder } from "./recorder.ts";
import { REQUEST_TIMEOUT_MS } from "./schedule.ts";
import { sendSigned } from "./send.ts";

// The delivery worker (README "Delivery and retries"): the outbox loop over
// integration_signals. It claims due signals with FOR UPDATE SKIP LOCKED and
// a lease (lib/delivery/claim-sql.ts), keeps up to `concurrency` requests in
// flight, shared fairly among integrations (fair-share.ts: no integration
// holds more than its share, so a hanging endpoint delays only its own
// signals), claiming again as requests end, and records each attempt as it
// ends. Idle, it waits for a NOTIFY, the next due retry or the poll, whichever
// comes first. Any number of workers can share one PostgreSQL: a claim is one
// worker's until its lease ends, and a finish applies only to its own claim.

export interface DeliveryWorkerOptions {
  database: Pick<Database, "config" | "driver">;
  /** Names this worker in leases and attempt rows; default host:pid:random. */
  workerId?: string;
  /** Requests in flight at once (default 16); one integration holds at most three quarters of them. */
  concurrency?: number;
  /** How long a claim is held (default 60 s); at least twice the request timeout, so a slow request is never sent twice. */
  leaseMs?: number;
  /** A request's time limit (default 15 s). */
  requestTimeoutMs?: number;
  /** The backstop poll when no notification comes (default 2 s). */
  pollMs?: number;
  /** Default: INTEGRATIONS_ALLOW_PRIVATE from the environment. */
  policy?: EndpointPolicy;
  /** When signals are due, and the times the worker records (tests move it). The leases use the database's clock. */
  clock?: () => Date;
  /** The retry jitter's draw in [0, 1). */
  random?: () => number;
  /** The request (default sendSigned); the bench swaps in a no-op to measure the loop alone. */
  send?: Send;
  log?: (line: string) => void;
  /** Called after each attempt is recorded. */
  onAttempt?: (record: AttemptRecord) => void;
}

export interface DeliveryWorkerState {
  /** Requests in flight. */
  inFlight: number;
  /** Nothing in flight and waiting for a notification, the next due retry or the poll. */
  idle: boolean;
  /** Whether a notification would wake it now. */
  listening: boolean;
}

export interface DeliveryWorker {
  readonly id: string;
  state(): DeliveryWorkerState;
  /** Starts listening and the loop; resolves once the listener is set up. */
  start(): Promise<void>;
  /** Stops claiming, lets the requests in flight finish and be recorded, then stops listening. */
  stop(): Promise<void>;
  /** Claims again now (as a notification does). */
  wake(): void;
  /** Without the loop: delivers everything due now, batch after batch, until nothing is. For tests and scripts. */
  runOnce(): Promise<AttemptRecord[]>;
}

const MAX_ERROR_BACKOFF_MS = 30_000;
const MIN_IDLE_WAIT_MS = 25;

export function createDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const id = options.workerId ?? `${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const concurrency = options.concurrency ?? 16;
  const requestTimeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  const leaseMs = options.leaseMs ?? 60_000;
  const pollMs = options.pollMs ?? 2_000;
  const log = options.log ?? ((line: string) => console.log(line));
  if (leaseMs < 2 * requestTimeoutMs)
    throw new Error(`the lease (${leaseMs} ms) must be at least twice the request timeout (${requestTimeoutMs} ms)`);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error("concurrency must be a positive integer");
  const clock = options.clock ?? (() => new Date());
  const ctx: DeliveryContext = {
    driver: options.database.driver,
    recorder: createRecorder(options.database.driver, id),
    workerId: id,
    leaseMs,
    policy: options.policy ?? endpointPolicyFromEnv(),
    requestTimeoutMs,
    clock,
    random: options.random ?? Math.random,
    send: options.send ?? sendSigned,
  };
  // Claim again once this many requests have ended, so a busy worker claims in batches rather than one row per
  // finished request. Counted as requests end rather than as free slots: slots an integration at its cap cannot
  // use stay free, and counting them would claim (for nothing) after every request.
  const refill = Math.max(1, Math.ceil(concurrency / 4));
  const cap = slotCap(concurrency);

  const inflight = new Set<Promise<void>>();
  /** Requests in flight by integration id: the claim's share of slots is counted from these. */
  const held = new Map<string, number>();
  let ended = 0;
  let running = false;
  let listener: Listener | null = null;
  let loopDone: Promise<void> = Promise.resolve();
  let woken = false;
  let interrupt: (() => void) | null = null;
  let idle = false;

  const wake = () => {
    woken = true;
    interrupt?.();
  };
  /** Waits `ms`, or less when woken or a request ends (one before the wait counts); answers whether the time ran out. */
  const pause = (ms: number) =>
    new Promise<boolean>((resolve) => {
      if (woken || !running || ended >= refill) return resolve(false);
      const done = (timedOut: boolean) => {
        clearTimeout(timer);
        interrupt = null;
        resolve(timedOut);
      };
      const timer = setTimeout(() => done(true), Math.max(0, ms));
      interrupt = () => done(false);
    });
  const hold = (integrationId: string, change: 1 | -1) => {
    const n = (held.get(integrationId) ?? 0) + change;
    if (n > 0) held.set(integrationId, n);
    else held.delete(integrationId);
  };

  const deliver = (row: Parameters<typeof deliverClaimed>[1]) =>
    deliverClaimed(ctx, row).then((record) => {
      if (!record.applied)
        log(`delivery: ${id} lost its claim on signal ${record.signalId} (lease ended); attempt ${record.attempt} recorded only`);
      if (record.disabledIntegration) log(`delivery: integration ${record.integrationId} answered 410 Gone and was disabled`);
      options.onAttempt?.(record);
      return record;
    });

  const track = (row: Parameters<typeof deliverClaimed>[1]) => {
    const task: Promise<void> = deliver(row)
      .then(
        () => {},
        // The claim stays leased; it comes back when the lease ends (at most one duplicate).
        (error: unknown) =>
          log(`delivery: signal ${row.id}: could not record the attempt: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => {
        inflight.delete(task);
        hold(row.integration_id, -1);
        ended += 1;
        interrupt?.();
      });
    inflight.add(task);
    hold(row.integration_id, 1);
  };

  async function nextDueInMs(): Promise<number> {
    const [row] = await ctx.driver.query<{ at: Date }>(NEXT_DUE_SQL.text, bindNamed(NEXT_DUE_SQL, {}), { name: "delivery_next_due" });
    return row ? new Date(row.at).getTime() - clock().getTime() : Number.POSITIVE_INFINITY;
  }

  async function loop() {
    let failures = 0;
    while (running) {
      // A notification, a wake or the poll: work may have arrived for an integration with slots to spare.
      const notified = woken;
      woken = false;
      try {
        const free = concurrency - inflight.size;
        let wait = pollMs;
        if (free > 0 && (notified || ended >= refill || inflight.size === 0)) {
          ended = 0;
          const rows = await claimDue(ctx, free, { held, cap });
          if (!running) {
            // Claimed as stop began: deliver them anyway rather than leave them leased.
            for (const row of rows) track(row);
            break;
          }
          for (const row of rows) track(row);
          // A full batch: more is probably due, claim again as soon as slots free up.
          if (rows.length === free) continue;
          // At least a moment: a due row another transaction holds locked is skipped, not waited for.
          if (inflight.size === 0) wait = Math.max(MIN_IDLE_WAIT_MS, Math.min(pollMs, await nextDueInMs()));
        }
        failures = 0;
        idle = inflight.size === 0;
        if (await pause(wait)) woken = true;
        idle = false;
      } catch (error) {
        failures += 1;
        const backoff = Math.min(MAX_ERROR_BACKOFF_MS, 250 * 2 ** failures);
        log(`delivery: ${error instanceof Error ? error.message : String(error)}; trying again in ${backoff} ms`);
        await pause(backoff);
        woken = true;
      }
    }
  }

  return {
    id,
    wake,
    state: () => ({ inFlight: inflight.size, idle: running && idle, listening: listener?.connected ?? false }),
    async start() {
      if (running) return;
      running = true;
      listener = await listenForSignals(options.database, wake, log);
      loopDone = loop();
    },
    async stop() {
      if (!running) return;
      running = false;
      interrupt?.();
      await loopDone;
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
      await listener?.close();
      listener = null;
    },
    async runOnce() {
      const records: AttemptRecord[] = [];
      for (;;) {
        const rows = await claimDue(ctx, concurrency, { cap });
        if (rows.length === 0) return records;
        records.push(...(await Promise.all(rows.map(deliver))));
      }
    },
  };
}
