import { spawn, type ChildProcess } from "node:child_process";
import type { Database } from "../../lib/db/client.ts";
import type { Send } from "../../lib/delivery/deliver.ts";
import { createDeliveryWorker, type DeliveryWorker } from "../../lib/delivery/worker.ts";
import { summarize, type Summary } from "./stats.ts";

// bench/delivery.ts's receiver and its throughput and idle-latency runs.

// Answers every POST with 200 and a reference, with keep-alive, except on
// /hang: headers, then nothing more (an endpoint that never finishes). Prints its port.
const RECEIVER = `
const http = require("node:http");
let n = 0;
const server = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    if (req.url.startsWith("/hang")) { res.writeHead(200, { "content-type": "application/json" }); res.flushHeaders(); return; }
    n++; res.writeHead(200, { "content-type": "application/json" }); res.end('{"reference":"bench-' + n + '"}');
  });
});
server.keepAliveTimeout = 30000;
server.listen(0, "127.0.0.1", () => console.log(server.address().port));`;

export async function startReceiver(): Promise<{ url: string; hang: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["-e", RECEIVER], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout!.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once("exit", (code) => reject(new Error(`the receiver exited (${code})`)));
  });
  return { url: `http://127.0.0.1:${port}/hooks/bench`, hang: `http://127.0.0.1:${port}/hang`, child };
}

export const instantSend: Send = async () => ({ result: { status: 200 }, latencyMs: 0, receiverRef: null });

export interface ThroughputResult {
  signals: number;
  seconds: number;
  perSecond: number;
}

export async function throughput(databases: Database[], integrationId: string, signals: number, concurrency: number, send?: Send) {
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

export async function idleLatency(database: Database, integrationId: string, samples: number): Promise<Summary> {
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
