/**
 * Delivery worker benchmark against a PostgreSQL server.
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench:delivery -- [options]
 *
 * Runs the real worker (lib/delivery/worker.ts: claim, sign, send, record)
 * in a scratch database it creates on the server of DATABASE_URL, migrates
 * and drops at the end, so it owns every row it touches and never delivers
 * anyone else's queue. The receiver is a separate node process on
 * 127.0.0.1 answering 200 with a reference at once (it does not verify the
 * signatures: the worker is measured, not the receiver).
 *
 * - throughput: --signals signals queued in one statement, the time until the
 *   last is recorded delivered, with --workers workers (each its own pool,
 *   as separate processes would be); beside it the same loop with the
 *   request replaced by an instant 200 (claim, body, signatures, record: no
 *   HTTP).
 * - latency: with the worker idle (waiting on LISTEN), one signal queued at
 *   a time, from before its INSERT to its delivered record committed.
 *
 * It reports; it never fails a build on a missed target (exit 1 only on errors).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { writeFile } from "node:fs/promises";
import os from "node:os";
import { createDatabase, type Database } from "../lib/db/client.ts";
import { migrate } from "../lib/db/migrate.ts";
import { createScratchDatabase } from "../lib/db/scratch.ts";
import type { Send } from "../lib/delivery/deliver.ts";
import { createDeliveryWorker, type DeliveryWorker } from "../lib/delivery/worker.ts";
import { integerFlag, parseFlags, Refusal, runBench } from "./lib/cli.ts";
import { formatTable, ms, summarize, type Summary } from "./lib/stats.ts";

const TARGET = { perSecond: 500, latencyP95Ms: 1_000 } as const;

const USAGE = `Usage: DATABASE_URL=postgresql://... npm run bench:delivery -- [options]
  --signals N       signals per throughput run (default 5000)
  --workers N       workers in the throughput runs (default 1)
  --concurrency N   requests in flight per worker (default 32)
  --latency N       idle enqueue-to-delivered samples (default 200)
  --json FILE       also write the results as JSON`;

// Answers every POST with 200 and a reference, with keep-alive; prints its port.
const RECEIVER = `
const http = require("node:http");
let n = 0;
const server = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => { n++; res.writeHead(200, { "content-type": "application/json" }); res.end('{"reference":"bench-' + n + '"}'); });
});
server.keepAliveTimeout = 30000;
server.listen(0, "127.0.0.1", () => console.log(server.address().port));`;

async function startReceiver(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["-e", RECEIVER], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout!.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once("exit", (code) => reject(new Error(`the receiver exited (${code})`)));
  });
  return { url: `http://127.0.0.1:${port}/hooks/bench`, child };
}

const instantSend: Send = async () => ({ result: { status: 200 }, latencyMs: 0, receiverRef: null });

interface ThroughputResult {
  signals: number;
  seconds: number;
  perSecond: number;
}

async function throughput(databases: Database[], integrationId: string, signals: number, concurrency: number, send?: Send) {
  let delivered = 0;
  let done: () => void = () => {};
  const allDelivered = new Promise<void>((resolve) => (done = resolve));
  const workers: DeliveryWorker[] = databases.map((database) =>
    createDeliveryWorker({
      database,
      concurrency,
      policy: { allowPrivate: true },
      send,
      onAttempt: (record) => {
        if (record.outcome === "delivered" && ++delivered === signals) done();
      },
    }),
  );
  for (const worker of workers) await worker.start();
  const started = performance.now();
  await databases[0]!.driver.query(
    `INSERT INTO integration_signals (integration_id, kind, payload)
     SELECT $1, 'consent_change', jsonb_build_object('customer_id', 'bench-' || n, 'version', 2, 'changed', jsonb_build_array('email_marketing'),
       'vendor', 'bench', 'allowed', false, 'blocked_by', jsonb_build_array('email_marketing'), 'consent_change_id', n::text, 'changed_at', now())
     FROM generate_series(1, $2::int) AS n`,
    [integrationId, signals],
  );
  await allDelivered;
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(workers.map((w) => w.stop()));
  return { signals, seconds, perSecond: signals / seconds } satisfies ThroughputResult;
}

async function idleLatency(database: Database, integrationId: string, samples: number): Promise<Summary> {
  let delivered: () => void = () => {};
  const worker = createDeliveryWorker({ database, policy: { allowPrivate: true }, pollMs: 60_000, onAttempt: () => delivered() });
  await worker.start();
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    // Idle: nothing in flight, waiting on LISTEN.
    while (!worker.state().idle) await new Promise((resolve) => setTimeout(resolve, 2));
    const recorded = new Promise<void>((resolve) => (delivered = resolve));
    const started = performance.now();
    await database.driver.query(`INSERT INTO integration_signals (integration_id, kind, payload) VALUES ($1, 'test', '{}')`, [
      integrationId,
    ]);
    await recorded;
    times.push(performance.now() - started);
  }
  await worker.stop();
  return summarize(times);
}

async function main() {
  const values = parseFlags(
    {
      signals: { type: "string", default: "5000" },
      workers: { type: "string", default: "1" },
      concurrency: { type: "string", default: "32" },
      latency: { type: "string", default: "200" },
      json: { type: "string" },
      help: { type: "boolean", default: false },
    },
    USAGE,
  );
  if (values.help) return void console.log(USAGE);
  const int = integerFlag(USAGE);
  const opts = {
    signals: int("signals", values.signals, 1, 1_000_000),
    workers: int("workers", values.workers, 1, 16),
    concurrency: int("concurrency", values.concurrency, 1, 512),
    latency: int("latency", values.latency, 1, 100_000),
  };
  const serverUrl = process.env.DATABASE_URL?.trim();
  if (!serverUrl) throw new Refusal(`DATABASE_URL is not set. This bench measures the worker on a PostgreSQL server.\n\n${USAGE}`);

  const load = () =>
    os
      .loadavg()
      .map((v) => v.toFixed(2))
      .join(" / ");
  const scratch = await createScratchDatabase(serverUrl, "cd_delivery_bench");
  const receiver = await startReceiver();
  const databases: Database[] = [];
  try {
    for (let i = 0; i < opts.workers; i++) databases.push(createDatabase({ kind: "postgres", url: scratch.url }, { poolSize: 4 }));
    const main = databases[0]!;
    await migrate(main.driver);
    const [{ version } = { version: "?" }] = await main.driver.query<{ version: string }>(
      `SELECT split_part(version(), ' ', 2) AS version`,
    );
    const [{ id: integrationId } = { id: "" }] = await main.driver.query<{ id: string }>(
      `INSERT INTO integrations (name, vendor, endpoint) VALUES ('Bench receiver', 'bench', $1) RETURNING id`,
      [receiver.url],
    );
    const cpus = os.cpus();
    const loadStart = os.loadavg();
    console.log(`Consent Desk delivery bench, ${new Date().toISOString()}`);
    console.log(`  machine:   ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? "unknown"}); node ${process.version}; PostgreSQL ${version}`);
    console.log(`  load:      ${load()} (1/5/15 min) at start`);
    if ((os.loadavg()[0] ?? 0) > cpus.length * 0.5)
      console.log(`  WARNING:   the machine is busy (load ${os.loadavg()[0]!.toFixed(2)} on ${cpus.length} CPUs): expect noisy figures`);
    console.log(
      `  runs:      ${opts.signals} signals, ${opts.workers} worker(s) x ${opts.concurrency} in flight; ${opts.latency} latency samples\n`,
    );

    // A short warm-up: connections, prepared statements, keep-alive sockets.
    await throughput(databases, integrationId, Math.min(500, opts.signals), opts.concurrency);
    const http = await throughput(databases, integrationId, opts.signals, opts.concurrency);
    const loopOnly = await throughput(databases, integrationId, opts.signals, opts.concurrency, instantSend);
    const latency = await idleLatency(main, integrationId, opts.latency);
    const loadEnd = load();

    const rate = (r: ThroughputResult) => `${Math.round(r.perSecond).toLocaleString("en")}/s`;
    console.log(
      formatTable(
        ["", "signals", "seconds", "delivered", "target"],
        [
          ["signed HTTP to a loopback receiver", String(http.signals), http.seconds.toFixed(2), rate(http), `>= ${TARGET.perSecond}/s`],
          ["the same loop, no HTTP (instant 200)", String(loopOnly.signals), loopOnly.seconds.toFixed(2), rate(loopOnly), ""],
        ],
      ),
    );
    console.log(
      `\n${formatTable(
        ["idle enqueue -> delivered", "n", "p50 ms", "p95 ms", "max ms", "target"],
        [
          [
            "INSERT to delivered record committed",
            String(latency.n),
            ms(latency.p50),
            ms(latency.p95),
            ms(latency.max),
            `p95 <= ${TARGET.latencyP95Ms} ms`,
          ],
        ],
      )}`,
    );
    console.log(`\n  load:      ${loadEnd} (1/5/15 min) at end`);
    const missed = [
      http.perSecond < TARGET.perSecond && `throughput ${Math.round(http.perSecond)}/s < ${TARGET.perSecond}/s`,
      latency.p95 > TARGET.latencyP95Ms && `latency p95 ${ms(latency.p95)} ms > ${TARGET.latencyP95Ms} ms`,
    ].filter(Boolean);
    console.log(missed.length ? `  MISSED:    ${missed.join("; ")}` : "  targets:   met");
    if (values.json) {
      const results = {
        at: new Date().toISOString(),
        options: opts,
        loadStart,
        loadEnd: os.loadavg(),
        http,
        loopOnly,
        latency,
        target: TARGET,
      };
      await writeFile(values.json, JSON.stringify(results, null, 2));
    }
  } finally {
    receiver.child.kill();
    for (const database of databases) {
      await database.prisma.$disconnect();
      await database.driver.close().catch(() => {});
    }
    await scratch.drop();
  }
}

runBench(main, async () => {});
