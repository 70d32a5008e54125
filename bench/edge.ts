/**
 * The edge under anonymous load (issue 16, item 6): what 150 anonymous
 * clients, each with a 12 MB body, cost the server, and how soon slow or
 * oversized clients are answered or cut off.
 *
 *   npm run build && npm run bench:edge -- [options]
 *
 * It starts the built app as `npm start` does (scripts/server.ts) on an
 * in-memory PGlite (or DATABASE_URL: anonymous requests never reach it), then:
 * - memory: --connections clients at once, spread over POST /api/events, a
 *   page path as a server-action POST and a page path as a plain POST, each
 *   sending a --body-mb body as fast as the server takes it: first declared
 *   (Content-Length), then chunked. The server's RSS (its process group's,
 *   from /proc) is sampled every 50 ms: before, after and peak per run.
 *   Fails (exit 1) when a run's peak is 100 MB or more above its before.
 * - at once: how long a body declared over its path's limit (100 MB, 3 bytes
 *   sent) waits for its 413, one client at a time.
 * - slow clients: headers dribbled, and a body dribbled to an API route and
 *   to a page, each timed until the server closes the connection (with the
 *   server's default timeouts this takes about a minute; --skip-slow skips it).
 * - the floor: anonymous POST /api/events answered 401, per second (autocannon).
 */
import { readdirSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { connect } from "node:net";
import os from "node:os";
import autocannon from "autocannon";
import { integerFlag, parseFlags, Refusal, runBench } from "./lib/cli.ts";
import { buildInfo, freePort, startNext, waitForBuilds, type RunningServer } from "./lib/next-server.ts";
import { formatTable } from "./lib/stats.ts";

const MAX_GROWTH_MB = 100;
const USAGE = `Usage: npm run bench:edge -- [options]   (after npm run build)
  --connections N   anonymous clients at once (default 150)
  --body-mb N       each client's body, in MB (default 12)
  --port N          first port to try for the server (default 3500)
  --skip-slow       skip the slow-client timings (about a minute with the default timeouts)
  --json FILE       also write the results as JSON`;

const TARGETS = [
  { name: "POST /api/events", path: "/api/events", headers: "Content-Type: application/json\r\n" },
  {
    name: "server action on a page",
    path: "/customers",
    headers: "Next-Action: 7f00000000000000000000000000000000000000aa\r\nContent-Type: text/plain;charset=UTF-8\r\n",
  },
  { name: "plain POST to a page", path: "/sign-in", headers: "Content-Type: text/plain\r\n" },
] as const;

type Client = { status: number | null; firstByteMs: number | null; closedMs: number; sentMb: number };

/** The server's memory: the RSS of every process in its group, in MB. */
function rssMb(group: number): number {
  let kb = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]) !== group) continue;
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${entry}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return kb / 1024;
}

/** One raw HTTP request: `write` sends what and when it likes; settles when the server closes the connection (or after `giveUpMs`). */
function raw(port: number, write: (send: (text: string | Buffer) => Promise<boolean>) => void, giveUpMs = 120_000): Promise<Client> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect(port, "127.0.0.1");
    let text = "";
    let firstByteMs: number | null = null;
    let sent = 0;
    socket.on("data", (chunk) => {
      firstByteMs ??= performance.now() - started;
      if (text.length < 200) text += chunk.toString("latin1");
    });
    socket.on("error", () => {});
    const timer = setTimeout(() => socket.destroy(), giveUpMs);
    socket.on("close", () => {
      clearTimeout(timer);
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      resolve({ status: status ? Number(status) : null, firstByteMs, closedMs: performance.now() - started, sentMb: sent / 2 ** 20 });
    });
    // Resolves false once the server has closed; waits for the socket to drain, so the client sends only as fast as the server reads.
    const send = (data: string | Buffer) =>
      new Promise<boolean>((done) => {
        if (socket.destroyed || !socket.writable) return done(false);
        sent += typeof data === "string" ? Buffer.byteLength(data) : data.byteLength;
        if (socket.write(data)) return done(true);
        const onDrain = () => (socket.off("close", onClose), done(true));
        const onClose = () => (socket.off("drain", onDrain), done(false));
        socket.once("drain", onDrain).once("close", onClose);
      });
    write(send);
  });
}

/** A client sending a `bytes` body to `target`, declared or chunked, as fast as the server takes it, until it answers or closes. */
function bodyClient(port: number, target: (typeof TARGETS)[number], bytes: number, chunked: boolean): Promise<Client> {
  const chunk = Buffer.alloc(64 * 1024, "x");
  return raw(port, async (send) => {
    const framing = chunked ? "Transfer-Encoding: chunked\r\n" : `Content-Length: ${bytes}\r\n`;
    if (!(await send(`POST ${target.path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${target.headers}${framing}\r\n`))) return;
    for (let sent = 0; sent < bytes; sent += chunk.byteLength) {
      const piece = chunked ? Buffer.concat([Buffer.from(`${chunk.byteLength.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]) : chunk;
      if (!(await send(piece))) return;
    }
    if (chunked) await send("0\r\n\r\n");
  });
}

async function memoryRun(server: RunningServer, port: number, clients: number, bytes: number, chunked: boolean) {
  const settle = () => new Promise((r) => setTimeout(r, 2_000));
  await settle();
  const before = rssMb(server.pid);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(server.pid))), 50);
  const results = await Promise.all(
    Array.from({ length: clients }, (_, i) => bodyClient(port, TARGETS[i % TARGETS.length]!, bytes, chunked)),
  );
  await settle();
  clearInterval(sampler);
  const after = rssMb(server.pid);
  peak = Math.max(peak, after);
  const statuses: Record<string, number> = {};
  for (const r of results) statuses[String(r.status)] = (statuses[String(r.status)] ?? 0) + 1;
  return {
    body: chunked ? "chunked" : "declared",
    before,
    after,
    peak,
    growth: peak - before,
    statuses,
    sentMbTotal: results.reduce((sum, r) => sum + r.sentMb, 0),
  };
}

/**
 * Clients declaring a body over their path's limit (100 MB) and sending 3 bytes of it, ms to the answer:
 * one at a time, then `clients` at once. (In the memory runs the answers come later: there the clients
 * pump their bodies as fast as they can, and on 2 cores the bench itself is what keeps them waiting.)
 */
async function declaredOversize(port: number, clients: number, rounds = 20) {
  const send = (target: (typeof TARGETS)[number]) =>
    raw(
      port,
      (write) => void write(`POST ${target.path} HTTP/1.1\r\nHost: x\r\n${target.headers}Content-Length: ${100 * 2 ** 20}\r\n\r\nabc`),
    );
  const summary = (answers: Client[]) => {
    const times = answers.map((a) => a.firstByteMs ?? Infinity).sort((a, b) => a - b);
    const statuses = [...new Set(answers.map((a) => a.status))];
    return { p50Ms: times[Math.floor(times.length / 2)]!, maxMs: times.at(-1)!, statuses };
  };
  const oneAtATime: Client[] = [];
  for (let i = 0; i < rounds; i++) for (const target of TARGETS) oneAtATime.push(await send(target));
  const together = await Promise.all(Array.from({ length: clients }, (_, i) => send(TARGETS[i % TARGETS.length]!)));
  return { oneAtATime: summary(oneAtATime), together: summary(together) };
}

async function slowClients(port: number) {
  const dribble = (head: string, piece: string) =>
    raw(port, (send) => {
      void send(head);
      const timer = setInterval(() => void send(piece).then((open) => open || clearInterval(timer)), 200);
    });
  const [headers, apiBody, pageBody] = await Promise.all([
    dribble("GET /sign-in HTTP/1.1\r\nHost: x\r\n", "X-Slow: y\r\n"),
    dribble("POST /api/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n", "x"),
    dribble("POST /sign-in HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n", "x"),
  ]);
  return { headersDribbledMs: headers.closedMs, apiBodyDribbledMs: apiBody.closedMs, pageBodyDribbledMs: pageBody.closedMs };
}

async function main() {
  const flags = parseFlags(
    {
      connections: { type: "string", default: "150" },
      "body-mb": { type: "string", default: "12" },
      port: { type: "string", default: "3500" },
      "skip-slow": { type: "boolean", default: false },
      json: { type: "string" },
    },
    USAGE,
  );
  const int = integerFlag(USAGE);
  const clients = int("connections", flags.connections, 1, 2_000);
  const bytes = int("body-mb", flags["body-mb"], 1, 1_024) * 2 ** 20;
  const cwd = process.cwd();
  await waitForBuilds(cwd, 600_000, (m) => process.stderr.write(`  ${m}\n`));
  const build = buildInfo(cwd);
  if (!build) throw new Refusal(`No build in .next: run npm run build first.\n\n${USAGE}`);
  const port = await freePort(int("port", flags.port, 1024, 65_000));
  const env = { ...process.env, DELIVERY_WORKER: "off", ...(process.env.DATABASE_URL ? {} : { PGLITE_DIR: "memory://" }) };
  process.stderr.write(
    `  starting the server on port ${port} (build ${build.id}), load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}…\n`,
  );
  const server = await startNext({ cwd, port, env, readyPath: "/sign-in" });
  try {
    // Warm up: every path's code loaded and compiled before anything is measured.
    for (let i = 0; i < 10; i++) for (const target of TARGETS) await bodyClient(port, target, 1024, i % 2 === 0);
    const atOnce = await declaredOversize(port, clients);
    const declared = await memoryRun(server, port, clients, bytes, false);
    const chunked = await memoryRun(server, port, clients, bytes, true);
    const floor = await autocannon({
      url: `http://127.0.0.1:${port}/api/events`,
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/json" },
      connections: 10,
      duration: 5,
    });
    const slow = flags["skip-slow"] ? null : await slowClients(port);
    const load = os.loadavg();

    console.log(
      `\nEdge under ${clients} anonymous clients × ${bytes / 2 ** 20} MB (${TARGETS.map((t) => t.name).join(", ")}); load ${load.map((l) => l.toFixed(1)).join(" ")}\n`,
    );
    const mb = (v: number) => `${v.toFixed(1)} MB`;
    console.log(
      formatTable(
        ["body", "RSS before", "after", "peak", "peak − before", "answers", "clients sent, in all"],
        [declared, chunked].map((r) => [
          r.body,
          mb(r.before),
          mb(r.after),
          mb(r.peak),
          mb(r.growth),
          Object.entries(r.statuses)
            .map(([s, n]) => `${n}× ${s}`)
            .join(", "),
          mb(r.sentMbTotal),
        ]),
      ),
    );
    console.log(
      `\n100 MB declared, 3 bytes sent: ${atOnce.oneAtATime.statuses.join("/")} in ${atOnce.oneAtATime.p50Ms.toFixed(1)} ms p50, ` +
        `${atOnce.oneAtATime.maxMs.toFixed(1)} ms max, one client at a time; ${atOnce.together.statuses.join("/")} in ` +
        `${atOnce.together.p50Ms.toFixed(1)} ms p50, ${atOnce.together.maxMs.toFixed(1)} ms max, ${clients} at once`,
    );
    console.log(
      `anonymous POST /api/events answered 401: ${Math.round(floor.requests.average)}/s (10 connections, 5 s; non-2xx ${floor.non2xx})`,
    );
    if (slow) {
      const s = (v: number) => `${(v / 1000).toFixed(1)} s`;
      console.log(
        `cut off: headers dribbled ${s(slow.headersDribbledMs)}; body dribbled to an API route ${s(slow.apiBodyDribbledMs)}, to a page ${s(slow.pageBodyDribbledMs)}`,
      );
    }
    if (flags.json)
      await writeFile(
        flags.json,
        JSON.stringify({ build, load, clients, bytes, atOnce, declared, chunked, floorPerSecond: floor.requests.average, slow }, null, 2),
      );
    const over = [declared, chunked].filter((r) => r.growth >= MAX_GROWTH_MB);
    if (over.length > 0)
      throw new Refusal(`FAILED: memory grew by ${over.map((r) => mb(r.growth)).join(", ")} (limit ${MAX_GROWTH_MB} MB)`);
    console.log(`\nmemory growth under ${MAX_GROWTH_MB} MB in both runs: met`);
  } finally {
    await server.stop();
  }
}

runBench(main, async () => {});
