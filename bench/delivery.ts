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
 * - backlog: claim statements (each claim's signals then marked delivered)
 *   on --backlog signals spread over --integrations integrations, then with a
 *   paused integration's older backlog of the same size beside them.
 * - slow neighbour: an integration whose endpoint sends headers and never
 *   finishes, with an older backlog, beside a healthy one: how long the
 *   healthy one's --neighbour signals take (at most --window seconds).
 *
 * It reports; it never fails a build on a missed target (exit 1 only on errors).
 */
import { writeFile } from "node:fs/promises";
import os from "node:os";
import { createDatabase, type Database } from "../lib/db/client.ts";
import { migrate } from "../lib/db/migrate.ts";
import { createScratchDatabase } from "../lib/db/scratch.ts";
import { integerFlag, parseFlags, Refusal, runBench } from "./lib/cli.ts";
import { idleLatency, instantSend, startReceiver, throughput, type ThroughputResult } from "./lib/delivery-runs.ts";
import { backlogClaim, slowNeighbour } from "./lib/delivery-scenarios.ts";
import { formatTable, ms, type Summary } from "./lib/stats.ts";

const TARGET = { perSecond: 500, latencyP95Ms: 1_000 } as const;

const USAGE = `Usage: DATABASE_URL=postgresql://... npm run bench:delivery -- [options]
  --signals N       signals per throughput run (default 5000)
  --workers N       workers in the throughput runs (default 1)
  --concurrency N   requests in flight per worker (default 32)
  --latency N       idle enqueue-to-delivered samples (default 200)
  --backlog N       due signals in the backlog claim runs (default 200000)
  --integrations N  integrations the backlog is spread over (default 10)
  --neighbour N     the healthy integration's signals beside a hanging one (default 1000)
  --window N        seconds the slow-neighbour run waits at most (default 60)
  --json FILE       also write the results as JSON`;

async function main() {
  const values = parseFlags(
    {
      signals: { type: "string", default: "5000" },
      workers: { type: "string", default: "1" },
      concurrency: { type: "string", default: "32" },
      latency: { type: "string", default: "200" },
      backlog: { type: "string", default: "200000" },
      integrations: { type: "string", default: "10" },
      neighbour: { type: "string", default: "1000" },
      window: { type: "string", default: "60" },
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
    backlog: int("backlog", values.backlog, 0, 10_000_000),
    integrations: int("integrations", values.integrations, 1, 1_000),
    neighbour: int("neighbour", values.neighbour, 0, 1_000_000),
    window: int("window", values.window, 1, 3_600),
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
    await main.driver.query(`UPDATE integrations SET enabled = false WHERE id = $1`, [integrationId]);
    const perIntegration = Math.ceil(opts.backlog / opts.integrations);
    const backlogOptions = { integrations: opts.integrations, perIntegration, paused: opts.backlog, samples: 100, limit: opts.concurrency };
    const backlog = opts.backlog > 0 ? await backlogClaim(main, receiver.url, backlogOptions) : null;
    const neighbour =
      opts.neighbour > 0
        ? await slowNeighbour(
            main,
            { healthy: receiver.url, hanging: receiver.hang },
            {
              signals: opts.neighbour,
              concurrency: opts.concurrency,
              maxSeconds: opts.window,
            },
          )
        : null;
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
    if (backlog) {
      const row = (name: string, r: Summary) => [name, String(r.n), ms(r.p50), ms(r.p95), ms(r.max)];
      console.log(
        `\n${formatTable(
          [`claim of ${opts.concurrency} on a backlog`, "n", "p50 ms", "p95 ms", "max ms"],
          [
            row(`${opts.backlog} due over ${opts.integrations} integrations`, backlog.enabled),
            row(`the same and ${opts.backlog} older of a paused one`, backlog.withPaused),
          ],
        )}`,
      );
    }
    if (neighbour) {
      console.log(
        `\n  slow neighbour: ${neighbour.delivered} of ${neighbour.queued} healthy signals delivered in ${neighbour.seconds.toFixed(2)} s ` +
          `(window ${opts.window} s) while a hanging endpoint held ${neighbour.hanging} of ${opts.concurrency} slots`,
      );
    }
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
        backlog,
        neighbour,
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
