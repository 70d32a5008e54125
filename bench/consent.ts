/**
 * Consent benchmark against a seeded PostgreSQL (1,000,000 customers).
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/cd_bench npm run bench:consent -- [options]
 *
 * Three parts, each beside raw SQL doing the same writes in the same run:
 *
 * - change: changeConsent (lib/consent/change.ts) flipping email_marketing
 *   for random seeded customers, so every call is a real change with its
 *   effects (membership email copies cleared or restored, integration signals,
 *   history, audit entry). Beside it, the same writes as plain statements on
 *   the same pg pool in one transaction (lock the customer and read its
 *   consent, upsert the consent, insert the history row, update the
 *   memberships, insert the signals, insert the audit entry; no validation,
 *   no effects computed). Latency sequentially (the two alternate), then
 *   throughput with --connections concurrent workers.
 * - http: the storefront consent API (PATCH and GET
 *   /api/storefront/v1/customers/{id}/consent) over HTTP with autocannon and
 *   --connections connections, against the app's server (`npm start`) on the existing build
 *   (or --url). PATCH flips email_marketing on a different customer each
 *   request; every non-2xx is counted and shown. Beside them, raw SQL at the
 *   same concurrency: the raw change transaction (for PATCH) and a SELECT of
 *   the same consent row (for GET); and the framework's floor, a GET answered
 *   401 before any database work, which no route on that server can beat.
 * - events: loyalty event ingestion in batches of 500 (bench/events.ts).
 *
 * During the concurrent writes it samples pg_stat_activity to show what the
 * backends wait on, in particular the audit chains' advisory locks (an
 * audit entry holds its chain's lock until commit; there are 8 chains).
 *
 * It creates an API key for the run and deletes it at the end. The consent
 * changes it makes stay (they are real history). It reports; it never fails
 * a build on a missed target (exit 1 only on errors).
 */
import { writeFile } from "node:fs/promises";
import os from "node:os";
import autocannon, { type AutocannonResult } from "autocannon";
import pg from "pg";
import type { Actor } from "../lib/auth/actor.ts";
import { createApiKey } from "../lib/auth/api-keys.ts";
import { changeConsent } from "../lib/consent/change.ts";
import { PURPOSES } from "../lib/consent/purposes.ts";
import { closeDatabase, type Database } from "../lib/db/client.ts";
import { measureIngestion, TARGET as EVENTS_TARGET, type IngestionResult } from "./events.ts";
import { benchDatabase, integerFlag, parseFlags, Refusal, runBench, SEED_HINT } from "./lib/cli.ts";
import { buildInfo, freePort, startNext, waitForBuilds, type RunningServer } from "./lib/next-server.ts";
import { formatTable, ms, prng, ratio, summarize, timed, type Summary } from "./lib/stats.ts";

const TARGET = {
  changeP95: 25,
  patchRps: 1_200,
  getRps: 2_500,
  /** HTTP requests/s at least this share of raw SQL doing the same at the same concurrency. */
  httpRatio: 0.25,
  eventsPerSecond: EVENTS_TARGET.eventsPerSecond,
  eventsRatio: EVENTS_TARGET.ratio,
} as const;

const SECTIONS = ["change", "http", "events"] as const;
type Section = (typeof SECTIONS)[number];

const USAGE = `Usage: DATABASE_URL=postgresql://... npm run bench:consent -- [options]
  --iterations N     sequential consent changes per path, after warm-up (default 300)
  --warmup N         untimed sequential changes per path first (default 30)
  --duration S       seconds per concurrent run and per autocannon run (default 10)
  --connections N    concurrent workers / HTTP connections (default 10)
  --pool N           random seeded customers to change and read (default 40000)
  --seed N           picks the customers (default 1)
  --url URL          an already running server (e.g. http://127.0.0.1:3400) instead of starting the server
  --port N           first port to try for the server (default 3400)
  --batches N        event batches per path for the ingestion part (default 40)
  --batch-size N     events per batch (default 500)
  --only LIST        comma-separated parts to run: change, http, events (default all)
  --min-customers N  refuse below this many customers (default 1000000)
  --json FILE        also write the results as JSON`;

function parseOptions() {
  const values = parseFlags(
    {
      iterations: { type: "string", default: "300" },
      warmup: { type: "string", default: "30" },
      duration: { type: "string", default: "10" },
      connections: { type: "string", default: "10" },
      pool: { type: "string", default: "40000" },
      seed: { type: "string", default: "1" },
      url: { type: "string" },
      port: { type: "string", default: "3400" },
      batches: { type: "string", default: "40" },
      "batch-size": { type: "string", default: "500" },
      only: { type: "string" },
      "min-customers": { type: "string", default: "1000000" },
      json: { type: "string" },
      help: { type: "boolean", default: false },
    },
    USAGE,
  );
  const int = integerFlag(USAGE);
  const only = values.only
    ?.split(",")
    .map((w) => w.trim().toLowerCase())
    .filter(Boolean);
  const unknown = only?.filter((w) => !(SECTIONS as readonly string[]).includes(w)) ?? [];
  if (unknown.length) throw new Refusal(`--only takes ${SECTIONS.join(", ")}; not ${unknown.join(", ")}\n\n${USAGE}`);
  const url = values.url?.replace(/\/+$/, "");
  if (url !== undefined && !/^https?:\/\/[^/]+$/.test(url))
    throw new Refusal(`--url must be an origin like http://127.0.0.1:3400\n\n${USAGE}`);
  return {
    help: values.help,
    iterations: int("iterations", values.iterations, 1),
    warmup: int("warmup", values.warmup, 0),
    durationS: int("duration", values.duration, 1, 600),
    connections: int("connections", values.connections, 1, 100),
    pool: int("pool", values.pool, 100),
    seed: int("seed", values.seed, 0),
    url,
    port: int("port", values.port, 1, 65535),
    batches: int("batches", values.batches, 1),
    batchSize: int("batch-size", values["batch-size"], 1, 1000),
    minCustomers: int("min-customers", values["min-customers"], 0),
    sections: new Set<Section>((only as Section[] | undefined) ?? SECTIONS),
    json: values.json,
  };
}
type Options = ReturnType<typeof parseOptions>;

// ---- Customers ------------------------------------------------------------------

interface BenchCustomer {
  id: string;
  externalId: string;
  /** email_marketing in effect now (true when nothing is recorded); each change flips it. */
  emailAllowed: boolean;
}

/**
 * Hands out customers round-robin, never one that a request still in flight
 * is changing, so two concurrent changes never meet on one customer (each
 * stays a real change: the flip is computed from the last committed state).
 */
class Customers {
  private next = 0;
  private readonly busy = new Set<BenchCustomer>();
  constructor(readonly all: BenchCustomer[]) {}
  take(): BenchCustomer {
    for (let tries = 0; tries < this.all.length; tries++) {
      const c = this.all[this.next++ % this.all.length]!;
      if (!this.busy.has(c)) {
        this.busy.add(c);
        return c;
      }
    }
    throw new Error("every sampled customer is busy: raise --pool");
  }
  release(c: BenchCustomer): void {
    this.busy.delete(c);
  }
  /** Customers whose request was cut off (an autocannon run ending): their state is unknown until reread. */
  drainBusy(): BenchCustomer[] {
    const left = [...this.busy];
    this.busy.clear();
    return left;
  }
}

const STATE_SQL = `
  SELECT c.id, (cc.customer_id IS NULL OR cc.email_marketing IS TRUE) AS email_allowed
  FROM customers c LEFT JOIN customer_consents cc ON cc.customer_id = c.id
  WHERE c.id = ANY($1::uuid[])`;

/** `count` distinct seeded customers (id md5('cd-seed-customer-' || i)), in pick order, with their consent state. */
async function sampleCustomers(pool: pg.Pool, seeded: number, count: number, seed: number): Promise<BenchCustomer[]> {
  const random = prng(seed + 7);
  const picks = [...new Set(Array.from({ length: Math.min(count, seeded) * 2 }, () => 1 + Math.floor(random() * seeded)))].slice(0, count);
  const { rows } = await pool.query<{ id: string; external_id: string; email_allowed: boolean }>(
    `SELECT c.id, c.external_id, (cc.customer_id IS NULL OR cc.email_marketing IS TRUE) AS email_allowed
       FROM unnest($1::int[]) WITH ORDINALITY AS p(i, ord)
       JOIN customers c ON c.id = md5('cd-seed-customer-' || p.i)::uuid
       LEFT JOIN customer_consents cc ON cc.customer_id = c.id
      WHERE c.external_id IS NOT NULL
      ORDER BY p.ord`,
    [picks],
  );
  return rows.map((r) => ({ id: r.id, externalId: r.external_id, emailAllowed: r.email_allowed }));
}

async function reread(pool: pg.Pool, customers: BenchCustomer[]): Promise<void> {
  if (customers.length === 0) return;
  const byId = new Map(customers.map((c) => [c.id, c]));
  const { rows } = await pool.query<{ id: string; email_allowed: boolean }>(STATE_SQL, [customers.map((c) => c.id)]);
  for (const r of rows) byId.get(r.id)!.emailAllowed = r.email_allowed;
}

// ---- The two ways of making one change --------------------------------------------

interface Context {
  database: Database;
  pool: pg.Pool;
  actor: Actor;
  /** Integrations that use email_marketing: the raw path signals each of them. */
  emailIntegrations: Array<{ id: string; vendor: string }>;
}

/** Through the domain: what the API and the dashboard call. Returns whether it really changed something. */
async function domainChange(ctx: Context, c: BenchCustomer): Promise<boolean> {
  const result = await changeConsent(
    {
      customer: { externalId: c.externalId },
      patch: { purposes: { email_marketing: !c.emailAllowed }, consentTimestamp: new Date() },
      source: "api",
      actor: ctx.actor,
    },
    ctx.database,
  );
  c.emailAllowed = result.consent.state?.purposes.email_marketing === true;
  return result.change !== null;
}

type RawConsentRow = {
  id: string;
  email: string | null;
  version: number | null;
  vendors: Record<string, boolean> | null;
} & Record<(typeof PURPOSES)[number], boolean | null>;

/**
 * The same writes as plain statements in one transaction on the same pool:
 * 8 round trips (BEGIN, lock + read, upsert, history, memberships, signals,
 * audit, COMMIT). The only logic is building the history's before/after from
 * the row it read; the signals go to every integration using email_marketing.
 */
async function rawChange(ctx: Context, c: BenchCustomer): Promise<boolean> {
  const value = !c.emailAllowed;
  const client = await ctx.pool.connect();
  try {
    await client.query("BEGIN");
    const { rows: locked } = await client.query<RawConsentRow>(
      `SELECT c.id, c.email, cc.version, cc.behavioral_campaigns, cc.email_marketing, cc.push_notifications, cc.coupon_campaigns,
              cc.punchcard_campaigns, cc.link_tracking, cc.vendors
       FROM customers c LEFT JOIN customer_consents cc ON cc.customer_id = c.id
       WHERE c.external_id = $1 FOR NO KEY UPDATE OF c`,
      [c.externalId],
    );
    const row = locked[0];
    if (!row) throw new Error(`raw change: no customer ${c.externalId}`);
    const purposes = Object.fromEntries(PURPOSES.map((p) => [p, row.version === null ? null : row[p]]));
    const before = row.version === null ? null : { purposes, vendors: row.vendors ?? {} };
    const after = { purposes: { ...purposes, email_marketing: value }, vendors: row.vendors ?? {} };
    const consentTimestamp = new Date();
    const { rows: up } = await client.query<{ version: number }>(
      `INSERT INTO customer_consents AS cc (customer_id, version, email_marketing, consent_timestamp) VALUES ($1, 1, $2, $3)
       ON CONFLICT (customer_id) DO UPDATE SET version = cc.version + 1, email_marketing = EXCLUDED.email_marketing,
         consent_timestamp = EXCLUDED.consent_timestamp, updated_at = now()
       RETURNING version`,
      [row.id, value, consentTimestamp],
    );
    const version = up[0]!.version;
    const { rows: hist } = await client.query<{ id: string }>(
      `INSERT INTO consent_changes (customer_id, version, source, actor_type, actor_id, actor_label, before, after, changed, consent_timestamp, changed_at)
       VALUES ($1, $2, 'api', $3, $4, $5, $6::jsonb, $7::jsonb, $8::text[], $9, clock_timestamp()) RETURNING id`,
      [
        row.id,
        version,
        ctx.actor.kind,
        ctx.actor.id,
        `${ctx.actor.label} (raw SQL)`,
        before && JSON.stringify(before),
        JSON.stringify(after),
        row.version === null ? [...PURPOSES, "consent_timestamp"] : ["email_marketing", "consent_timestamp"],
        consentTimestamp,
      ],
    );
    await client.query(`UPDATE audience_memberships SET email = $2 WHERE customer_id = $1 AND email IS DISTINCT FROM $2`, [
      row.id,
      value ? row.email : null,
    ]);
    await client.query(
      `INSERT INTO integration_signals (integration_id, customer_id, kind, consent_change_id, payload)
       SELECT s.integration_id, $1, 'consent_change', $2, s.payload FROM jsonb_to_recordset($3::jsonb) AS s(integration_id uuid, payload jsonb)`,
      [
        row.id,
        hist[0]!.id,
        JSON.stringify(
          ctx.emailIntegrations.map((i) => ({
            integration_id: i.id,
            payload: {
              type: "consent.changed",
              customer_id: c.externalId,
              customer_ref: row.id,
              vendor: i.vendor,
              allowed: value,
              version,
            },
          })),
        ),
      ],
    );
    await client.query(
      `INSERT INTO audit_entries (actor_type, actor_id, actor_label, action, target_type, target_id, summary, occurred_at)
       VALUES ($1, $2, $3, 'consent.change', 'customer', $4, $5::jsonb, clock_timestamp())`,
      [
        ctx.actor.kind,
        ctx.actor.id,
        ctx.actor.label,
        row.id,
        JSON.stringify({ source: "api", version, changed: ["email_marketing"], bench: "raw SQL" }),
      ],
    );
    await client.query("COMMIT");
    c.emailAllowed = value;
    return true;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

// ---- Measuring ---------------------------------------------------------------------

interface Concurrent {
  latency: Summary;
  /** Completed operations per second over the run. */
  perSecond: number;
  count: number;
  noop: number;
}

/** What the database's backends were doing during a run, from pg_stat_activity: mean backends per state. */
interface Waits {
  samples: number;
  /** Mean active backends (running or waiting). */
  active: number;
  /** Mean backends waiting on an advisory lock: the audit chains' locks (8 chains, each held to commit). */
  auditChain: number;
  /** Mean backends per wait event ("CPU" = running), busiest first. */
  byEvent: Record<string, number>;
}

/**
 * Samples pg_stat_activity every 25 ms on its own connection while a run
 * goes, so the report can say whether the audit chain's per-chain lock (or
 * WAL, or anything else) is what the writers queue on.
 */
async function sampleWaits<T>(run: () => Promise<T>): Promise<[T, Waits]> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const counts = new Map<string, number>();
  let samples = 0;
  let done = false;
  const loop = (async () => {
    while (!done) {
      const { rows } = await client.query<{ w: string; n: number }>(
        `SELECT CASE WHEN wait_event IS NULL THEN 'CPU' ELSE wait_event_type || ':' || wait_event END AS w, count(*)::int AS n
         FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid() GROUP BY 1`,
      );
      for (const r of rows) counts.set(r.w, (counts.get(r.w) ?? 0) + r.n);
      samples++;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  })();
  try {
    const result = await run();
    return [result, summarizeWaits(counts, samples)];
  } finally {
    done = true;
    await loop.catch(() => {});
    await client.end();
  }
}

function summarizeWaits(counts: Map<string, number>, samples: number): Waits {
  const mean = (n: number) => (samples ? n / samples : 0);
  const byEvent = Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => [k, Number(mean(n).toFixed(2))]));
  return {
    samples,
    active: mean([...counts.values()].reduce((a, b) => a + b, 0)),
    auditChain: mean(counts.get("Lock:advisory") ?? 0),
    byEvent,
  };
}

const describeWaits = (w: Waits) =>
  `${w.active.toFixed(1)} backends active on average, ${w.auditChain.toFixed(2)} of them waiting for an audit chain lock; ` +
  Object.entries(w.byEvent)
    .slice(0, 4)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");

/** `workers` loops calling `op` for `durationMs`; each completed op is timed. */
async function concurrently(workers: number, durationMs: number, op: () => Promise<boolean>): Promise<Concurrent> {
  const latencies: number[] = [];
  let noop = 0;
  const start = performance.now();
  const deadline = start + durationMs;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < deadline) {
        const [real, t] = await timed(op);
        latencies.push(t);
        if (!real) noop++;
      }
    }),
  );
  const elapsed = performance.now() - start;
  return { latency: summarize(latencies), perSecond: (latencies.length * 1000) / elapsed, count: latencies.length, noop };
}

async function measureChange(ctx: Context, customers: Customers, opts: Options) {
  const once = (fn: (ctx: Context, c: BenchCustomer) => Promise<boolean>) => async () => {
    const c = customers.take();
    try {
      return await fn(ctx, c);
    } finally {
      customers.release(c);
    }
  };
  const viaDomain = once(domainChange);
  const viaRaw = once(rawChange);

  process.stderr.write(`  sequential consent changes (${opts.warmup} + ${opts.iterations} per path, alternating)…\n`);
  const seq = { domain: [] as number[], raw: [] as number[] };
  let noop = 0;
  for (let i = 0; i < opts.warmup + opts.iterations; i++) {
    const order = i % 2 === 0 ? (["domain", "raw"] as const) : (["raw", "domain"] as const);
    for (const path of order) {
      const [real, t] = await timed(path === "domain" ? viaDomain : viaRaw);
      if (!real) noop++;
      if (i >= opts.warmup) seq[path].push(t);
    }
  }
  const durationMs = opts.durationS * 1000;
  process.stderr.write(`  concurrent consent changes (${opts.connections} workers, ${opts.durationS} s per path)…\n`);
  const [rawConcurrent, rawWaits] = await sampleWaits(() => concurrently(opts.connections, durationMs, viaRaw));
  const [domainConcurrent, domainWaits] = await sampleWaits(() => concurrently(opts.connections, durationMs, viaDomain));
  const sequential = { domain: summarize(seq.domain), raw: summarize(seq.raw) };
  return {
    sequential,
    sequentialNoop: noop,
    concurrent: { domain: domainConcurrent, raw: rawConcurrent },
    waits: { domain: domainWaits, raw: rawWaits },
    pass: sequential.domain.p95 <= TARGET.changeP95,
  };
}

// ---- HTTP ------------------------------------------------------------------------

interface HttpRun {
  method: "GET" | "PATCH";
  durationS: number;
  completed: number;
  ok: number;
  rps: number;
  latency: Summary;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  /** First few non-2xx bodies, to say what went wrong. */
  failures: string[];
  /** PATCH only: consent_changes rows the run added (each 200 should be one). */
  changesWritten?: number;
}

const consentPath = (externalId: string) => `/api/storefront/v1/customers/${encodeURIComponent(externalId)}/consent`;

async function runAutocannon(
  url: string,
  method: "GET" | "PATCH",
  key: string,
  customers: Customers,
  opts: Options,
  durationS: number,
): Promise<HttpRun> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const failures: string[] = [];
  const headers: Record<string, string> = { authorization: `Bearer ${key}`, accept: "application/json" };
  if (method === "PATCH") headers["content-type"] = "application/json";
  const instance = autocannon({
    url,
    connections: opts.connections,
    duration: durationS,
    timeout: 30,
    requests: [
      {
        method,
        headers,
        setupRequest: (request, context) => {
          const c = customers.take();
          context.customer = c;
          if (method === "GET") {
            // A read never waits on anything; hand the customer straight back.
            customers.release(c);
            return { ...request, path: consentPath(c.externalId) };
          }
          const value = !c.emailAllowed;
          context.value = value;
          const body = JSON.stringify({ consent: { purposes: { email_marketing: value }, consent_timestamp: new Date().toISOString() } });
          return { ...request, path: consentPath(c.externalId), body };
        },
        onResponse: (status, body, context) => {
          const c = context.customer as BenchCustomer | undefined;
          if (status < 200 || status >= 300) {
            if (failures.length < 5) failures.push(`${status} ${body.slice(0, 300)}`);
          } else if (method === "PATCH" && c) {
            c.emailAllowed = context.value as boolean;
          }
          if (method === "PATCH" && c) customers.release(c);
        },
      },
    ],
  });
  instance.on("response", (_client: unknown, status: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
    statuses[status] = (statuses[status] ?? 0) + 1;
  });
  const result: AutocannonResult = await instance;
  const ok = Object.entries(statuses).reduce((s, [code, n]) => (code.startsWith("2") ? s + n : s), 0);
  return {
    method,
    durationS: result.duration,
    completed: latencies.length,
    ok,
    rps: ok / result.duration,
    latency: summarize(latencies),
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    failures,
  };
}

/**
 * The framework's floor: GET with a malformed key, answered 401 by the route
 * before any database work. No consent route can answer faster than this on
 * the same server; it says how much of the HTTP figures is the app.
 */
async function runFloor(url: string, opts: Options): Promise<{ rps: number; latency: Summary; statuses: Record<string, number> }> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const instance = autocannon({
    url: url + consentPath("cus_00000001"),
    connections: opts.connections,
    duration: opts.durationS,
    headers: { authorization: "Bearer not-a-key", accept: "application/json" },
  });
  instance.on("response", (_client: unknown, status: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
    statuses[status] = (statuses[status] ?? 0) + 1;
  });
  const result: AutocannonResult = await instance;
  return { rps: (statuses["401"] ?? 0) / result.duration, latency: summarize(latencies), statuses };
}

const READ_SQL = `
  SELECT c.id, c.external_id, cc.version, cc.behavioral_campaigns, cc.email_marketing, cc.push_notifications, cc.coupon_campaigns,
         cc.punchcard_campaigns, cc.link_tracking, cc.vendors, cc.consent_timestamp, cc.consent_string, cc.tcf, cc.recorded_at, cc.updated_at
  FROM customers c LEFT JOIN customer_consents cc ON cc.customer_id = c.id WHERE c.external_id = $1`;

let server: RunningServer | undefined;

async function measureHttp(ctx: Context, customers: Customers, key: { id: string; key: string }, opts: Options) {
  let url = opts.url;
  let build: { id: string; builtAt: string } | undefined;
  if (!url) {
    const cwd = process.cwd();
    await waitForBuilds(cwd, 15 * 60_000, (m) => process.stderr.write(`  ${m}\n`));
    const info = buildInfo(cwd);
    if (!info) {
      throw new Refusal(
        "No production build (.next/BUILD_ID missing). Run `npm run build` first (not while another next build runs in this folder), or pass --url of a running server.",
      );
    }
    build = { id: info.id, builtAt: info.builtAt.toISOString() };
    const port = await freePort(opts.port);
    process.stderr.write(`  starting the server on port ${port} (build ${info.id} of ${build.builtAt})…\n`);
    server = await startNext({
      cwd,
      port,
      env: {
        ...process.env,
        // The server must not migrate the database under measurement.
        SKIP_MIGRATIONS: "1",
        BETTER_AUTH_SECRET: process.env.BETTER_AUTH_SECRET || "bench-secret-at-least-32-characters-long",
        BETTER_AUTH_URL: process.env.BETTER_AUTH_URL || `http://127.0.0.1:${port}`,
      },
      readyPath: "/api/storefront/v1/customers/bench-ready/consent",
    });
    url = server.url;
  }
  const countChanges = async () =>
    Number((await ctx.pool.query<{ n: string }>(`SELECT count(*) AS n FROM consent_changes WHERE actor_id = $1`, [key.id])).rows[0]!.n);
  try {
    // A first request of each kind compiles nothing in production but fills the pools and caches.
    for (const method of ["GET", "PATCH"] as const) {
      process.stderr.write(`  warming up ${method} (3 s)…\n`);
      await runAutocannon(url, method, key.key, customers, opts, 3);
      await reread(ctx.pool, customers.drainBusy());
    }
    const durationMs = opts.durationS * 1000;
    process.stderr.write(`  raw SELECT of the consent row (${opts.connections} concurrent, ${opts.durationS} s)…\n`);
    const rawRead = await concurrently(opts.connections, durationMs, async () => {
      const c = customers.take();
      customers.release(c);
      await ctx.pool.query(READ_SQL, [c.externalId]);
      return true;
    });
    process.stderr.write(`  GET over HTTP (${opts.connections} connections, ${opts.durationS} s)…\n`);
    const get = await runAutocannon(url, "GET", key.key, customers, opts, opts.durationS);

    process.stderr.write(`  raw change transactions (${opts.connections} concurrent, ${opts.durationS} s)…\n`);
    const rawWrite = await concurrently(opts.connections, durationMs, async () => {
      const c = customers.take();
      try {
        return await rawChange(ctx, c);
      } finally {
        customers.release(c);
      }
    });
    process.stderr.write(`  PATCH over HTTP (${opts.connections} connections, ${opts.durationS} s)…\n`);
    const before = await countChanges();
    const [patch, patchWaits] = await sampleWaits(() => runAutocannon(url, "PATCH", key.key, customers, opts, opts.durationS));
    await reread(ctx.pool, customers.drainBusy());
    // Requests cut off by the end of the run may still commit just after it.
    await new Promise((r) => setTimeout(r, 500));
    patch.changesWritten = (await countChanges()) - before;

    process.stderr.write(`  the framework's floor: GET answered 401 before any database work (${opts.durationS} s)…\n`);
    const floor = await runFloor(url, opts);

    const patchRatio = patch.rps / rawWrite.perSecond;
    const getRatio = get.rps / rawRead.perSecond;
    return {
      url,
      build,
      get,
      patch,
      rawRead,
      rawWrite,
      patchRatio,
      getRatio,
      patchWaits,
      floor,
      pass: {
        patch: patch.rps >= TARGET.patchRps && patchRatio >= TARGET.httpRatio,
        get: get.rps >= TARGET.getRps && getRatio >= TARGET.httpRatio,
      },
    };
  } finally {
    await server?.stop();
    server = undefined;
  }
}

// ---- Report ------------------------------------------------------------------------

const rate = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString("en") : "-");
const verdict = (pass: boolean) => (pass ? "PASS" : "MISS");

type ChangeResult = Awaited<ReturnType<typeof measureChange>>;
type HttpResult = Awaited<ReturnType<typeof measureHttp>>;

function printChange(r: ChangeResult, opts: Options) {
  const { sequential: s, concurrent: c } = r;
  console.log(`\nConsent change (changeConsent vs the same writes as raw SQL on the same pool; ms)`);
  console.log(
    formatTable(
      ["case", "n", "p50", "p95", "max", "per s", "target", "verdict"],
      [
        [
          "changeConsent, sequential",
          String(s.domain.n),
          ms(s.domain.p50),
          ms(s.domain.p95),
          ms(s.domain.max),
          rate(1000 / s.domain.mean),
          `p95 ≤ ${TARGET.changeP95} ms`,
          verdict(r.pass),
        ],
        ["raw SQL, sequential", String(s.raw.n), ms(s.raw.p50), ms(s.raw.p95), ms(s.raw.max), rate(1000 / s.raw.mean), "", "context"],
        [
          `changeConsent, ${opts.connections} concurrent`,
          String(c.domain.count),
          ms(c.domain.latency.p50),
          ms(c.domain.latency.p95),
          ms(c.domain.latency.max),
          rate(c.domain.perSecond),
          "",
          "context",
        ],
        [
          `raw SQL, ${opts.connections} concurrent`,
          String(c.raw.count),
          ms(c.raw.latency.p50),
          ms(c.raw.latency.p95),
          ms(c.raw.latency.max),
          rate(c.raw.perSecond),
          "",
          "context",
        ],
      ],
    ),
  );
  console.log(
    `changeConsent ÷ raw: latency ${ratio(s.domain.p50 / s.raw.p50)} at p50, ${ratio(s.domain.p95 / s.raw.p95)} at p95; ` +
      `throughput at ${opts.connections} concurrent ${ratio(c.domain.perSecond / c.raw.perSecond)}`,
  );
  console.log(`Database during changeConsent × ${opts.connections}: ${describeWaits(r.waits.domain)}`);
  console.log(`Database during raw SQL × ${opts.connections}: ${describeWaits(r.waits.raw)}`);
  const noop = r.sequentialNoop + c.domain.noop + c.raw.noop;
  if (noop) console.log(`WARNING: ${noop} changes changed nothing (the bench lost track of a customer's state)`);
}

function statusLine(run: HttpRun) {
  return (
    Object.entries(run.statuses)
      .map(([code, n]) => `${code}×${n.toLocaleString("en")}`)
      .join(" ") || "none"
  );
}

function printHttp(r: HttpResult, opts: Options) {
  console.log(
    `\nConsent API over HTTP (${r.url}; autocannon, ${opts.connections} connections, ${opts.durationS} s each; raw SQL at ${opts.connections} concurrent on one pool; ms)`,
  );
  console.log(
    formatTable(
      ["case", "requests", "p50", "p95", "max", "per s", "÷ raw", "target", "verdict"],
      [
        [
          "PATCH …/consent",
          String(r.patch.completed),
          ms(r.patch.latency.p50),
          ms(r.patch.latency.p95),
          ms(r.patch.latency.max),
          rate(r.patch.rps),
          ratio(r.patchRatio),
          `≥ ${TARGET.patchRps.toLocaleString("en")}/s, ≥ ${TARGET.httpRatio}x`,
          verdict(r.pass.patch),
        ],
        [
          "raw change transaction",
          String(r.rawWrite.count),
          ms(r.rawWrite.latency.p50),
          ms(r.rawWrite.latency.p95),
          ms(r.rawWrite.latency.max),
          rate(r.rawWrite.perSecond),
          "",
          "",
          "context",
        ],
        [
          "GET …/consent",
          String(r.get.completed),
          ms(r.get.latency.p50),
          ms(r.get.latency.p95),
          ms(r.get.latency.max),
          rate(r.get.rps),
          ratio(r.getRatio),
          `≥ ${TARGET.getRps.toLocaleString("en")}/s, ≥ ${TARGET.httpRatio}x`,
          verdict(r.pass.get),
        ],
        [
          "raw SELECT of the row",
          String(r.rawRead.count),
          ms(r.rawRead.latency.p50),
          ms(r.rawRead.latency.p95),
          ms(r.rawRead.latency.max),
          rate(r.rawRead.perSecond),
          "",
          "",
          "context",
        ],
        [
          "floor: 401 before any DB work",
          String(r.floor.latency.n),
          ms(r.floor.latency.p50),
          ms(r.floor.latency.p95),
          ms(r.floor.latency.max),
          rate(r.floor.rps),
          "",
          "",
          "context",
        ],
      ],
    ),
  );
  const share = (rps: number) => `${Math.round((100 * rps) / r.floor.rps)}%`;
  console.log(
    `Of the framework's floor (${rate(r.floor.rps)}/s, a 401 with no database work on the same server): GET ${share(r.get.rps)}, PATCH ${share(r.patch.rps)}`,
  );
  console.log(`Database during the PATCH run: ${describeWaits(r.patchWaits)}`);
  for (const run of [r.patch, r.get]) {
    const bad = run.completed - run.ok;
    console.log(
      `${run.method}: statuses ${statusLine(run)}; ${bad ? `${bad} non-2xx (not counted in per s)` : "all 2xx"}` +
        (run.errors || run.timeouts ? `; ${run.errors} connection errors, ${run.timeouts} timeouts` : "") +
        (run.changesWritten !== undefined ? `; ${run.changesWritten.toLocaleString("en")} consent changes written` : ""),
    );
    for (const f of run.failures) console.log(`  e.g. ${f}`);
  }
}

function printEvents(r: IngestionResult) {
  console.log(`\nEvent ingestion (${r.batches} batches of ${r.batchSize} per path, one batch at a time; batch ms)`);
  console.log(
    formatTable(
      ["case", "events/s", "batch p50", "batch p95", "÷ raw", "target", "verdict"],
      [
        [
          "ingestEvents",
          rate(r.ingestRate),
          ms(r.ingest.p50),
          ms(r.ingest.p95),
          ratio(r.ratio),
          `≥ ${TARGET.eventsPerSecond.toLocaleString("en")}/s, ≥ ${TARGET.eventsRatio}x`,
          verdict(r.pass.rate && r.pass.ratio),
        ],
        ["raw multi-row INSERT", rate(r.rawRate), ms(r.raw.p50), ms(r.raw.p95), "", "", "context"],
      ],
    ),
  );
  const total = r.outcomes.processed + r.outcomes.partially_withheld + r.outcomes.withheld;
  console.log(
    `Outcomes: processed ${r.outcomes.processed}/${total}, partially withheld ${r.outcomes.partially_withheld}, withheld ${r.outcomes.withheld}; ` +
      `${r.kept ? "kept" : "deleted"} the ${r.inserted.toLocaleString("en")} events inserted.`,
  );
}

// ---- Main --------------------------------------------------------------------------

async function main(): Promise<void> {
  const opts = parseOptions();
  if (opts.help) return void console.log(USAGE);
  // It migrates first: the consent change needs the consent-management schema.
  const database = await benchDatabase(USAGE);
  const { pool } = database.driver;

  const facts = (
    await pool.query<{
      version: string;
      shared_buffers: string;
      synchronous_commit: string;
      customers: string;
      consents: string;
      memberships: string;
    }>(
      `SELECT current_setting('server_version') AS version, current_setting('shared_buffers') AS shared_buffers,
              current_setting('synchronous_commit') AS synchronous_commit,
              (SELECT count(*) FROM customers) AS customers, (SELECT count(*) FROM customer_consents) AS consents,
              (SELECT count(*) FROM audience_memberships) AS memberships`,
    )
  ).rows[0]!;
  const customerCount = Number(facts.customers);
  if (customerCount < opts.minCustomers) {
    throw new Refusal(
      `The database holds ${customerCount.toLocaleString("en")} customers; the bench needs at least ${opts.minCustomers.toLocaleString("en")} (--min-customers).\n${SEED_HINT}`,
    );
  }
  const cpus = os.cpus();
  const load = () =>
    os
      .loadavg()
      .map((v) => v.toFixed(2))
      .join(" / ");
  console.log(`Consent Desk consent bench, ${new Date().toISOString()}`);
  console.log(
    `  machine:   ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? "unknown"}), ${Math.round(os.totalmem() / 2 ** 30)} GB RAM; node ${process.version}`,
  );
  console.log(`  load:      ${load()} (1/5/15 min) at start`);
  if ((os.loadavg()[0] ?? 0) > cpus.length * 0.5)
    console.log(`  WARNING:   the machine is busy (load ${os.loadavg()[0]!.toFixed(2)} on ${cpus.length} CPUs): expect noisy figures`);
  console.log(`  postgres:  ${facts.version}, shared_buffers ${facts.shared_buffers}, synchronous_commit ${facts.synchronous_commit}`);
  console.log(
    `  rows:      customers ${customerCount.toLocaleString("en")}, customer_consents ${Number(facts.consents).toLocaleString("en")}, ` +
      `audience_memberships ${Number(facts.memberships).toLocaleString("en")}`,
  );
  console.log(`  parts:     ${[...opts.sections].join(", ")}`);

  const results: { change?: ChangeResult; http?: HttpResult; events?: IngestionResult } = {};
  if (opts.sections.has("change") || opts.sections.has("http")) {
    const seeded = Number(
      (
        await pool.query<{ n: string | null }>(`SELECT max(external_id) AS n FROM customers WHERE external_id LIKE 'cus\\_%'`)
      ).rows[0]?.n?.slice(4) ?? 0,
    );
    if (!seeded) throw new Refusal(`No seeded customers (external ids cus_…) found.\n${SEED_HINT}`);
    process.stderr.write(`  sampling ${opts.pool.toLocaleString("en")} customers…\n`);
    const customers = new Customers(await sampleCustomers(pool, seeded, opts.pool, opts.seed));
    const integrations = (
      await pool.query<{ id: string; vendor: string; purposes: string[]; enabled: boolean }>(
        `SELECT id, vendor, purposes, enabled FROM integrations ORDER BY vendor`,
      )
    ).rows;

    const key = await createApiKey({ name: "bench (bench/consent.ts)", role: "marketer", createdById: null }, database.prisma);
    try {
      const ctx: Context = {
        database,
        pool,
        actor: { kind: "api_key", id: key.id, label: key.name, role: key.role, ip: null, userAgent: "bench/consent.ts" },
        emailIntegrations: integrations
          .filter((i) => i.enabled && i.purposes.includes("email_marketing"))
          .map(({ id, vendor }) => ({ id, vendor })),
      };
      if (opts.sections.has("change")) {
        results.change = await measureChange(ctx, customers, opts);
        printChange(results.change, opts);
      }
      if (opts.sections.has("http")) {
        results.http = await measureHttp(ctx, customers, key, opts);
        printHttp(results.http, opts);
      }
    } finally {
      // Bench-only key: gone afterwards (its id stays in the history and audit rows it wrote, as any deleted key's does).
      await database.prisma.apiKey
        .delete({ where: { id: key.id } })
        .catch((error: unknown) => console.error(`could not delete the bench API key ${key.id}:`, error));
    }
  }
  if (opts.sections.has("events")) {
    process.stderr.write(`  event ingestion (${opts.batches} batches of ${opts.batchSize} per path)…\n`);
    results.events = await measureIngestion(database, {
      batches: opts.batches,
      batchSize: opts.batchSize,
      warmup: 3,
      pool: 20_000,
      seed: opts.seed,
      keep: false,
    });
    printEvents(results.events);
  }

  // One line per target.
  const summary: string[][] = [];
  if (results.change) {
    const s = results.change.sequential;
    summary.push([
      "consent change p95 (changeConsent, sequential)",
      `${ms(s.domain.p95)} ms`,
      `≤ ${TARGET.changeP95} ms`,
      `raw ${ms(s.raw.p95)} ms (${ratio(s.domain.p95 / s.raw.p95)})`,
      verdict(results.change.pass),
    ]);
  }
  if (results.http) {
    const h = results.http;
    summary.push([
      "PATCH consent over HTTP",
      `${rate(h.patch.rps)}/s`,
      `≥ ${TARGET.patchRps}/s, ≥ ${TARGET.httpRatio}x raw`,
      `raw ${rate(h.rawWrite.perSecond)} tx/s (${ratio(h.patchRatio)})`,
      verdict(h.pass.patch),
    ]);
    summary.push([
      "GET consent over HTTP",
      `${rate(h.get.rps)}/s`,
      `≥ ${TARGET.getRps}/s, ≥ ${TARGET.httpRatio}x raw`,
      `raw ${rate(h.rawRead.perSecond)} q/s (${ratio(h.getRatio)})`,
      verdict(h.pass.get),
    ]);
  }
  if (results.events) {
    const e = results.events;
    summary.push([
      "events ingested (batches of 500)",
      `${rate(e.ingestRate)}/s`,
      `≥ ${TARGET.eventsPerSecond}/s, ≥ ${TARGET.eventsRatio}x raw`,
      `raw ${rate(e.rawRate)}/s (${ratio(e.ratio)})`,
      verdict(e.pass.rate && e.pass.ratio),
    ]);
  }
  console.log(`\nTargets`);
  console.log(formatTable(["what", "measured", "target", "raw SQL in the same run", "verdict"], summary));
  console.log(`Load average at the end: ${load()} (1/5/15 min)`);

  if (opts.json) {
    await writeFile(
      opts.json,
      JSON.stringify(
        {
          startedAt: new Date().toISOString(),
          targets: TARGET,
          options: { ...opts, sections: [...opts.sections] },
          facts,
          loadAverageEnd: os.loadavg(),
          ...results,
        },
        null,
        2,
      ),
    );
    console.log(`Wrote ${opts.json}`);
  }
}

// On success the http section has stopped its server already.
runBench(main, async () => {
  await server?.stop();
  await closeDatabase();
});
