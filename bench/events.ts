/**
 * Loyalty event ingestion benchmark against a seeded PostgreSQL.
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/cd_bench npm run bench:events -- [options]
 *
 * Each batch of events for random existing customers is stored twice: through
 * ingestEvents (resolve external ids with consent, load campaigns, evaluate,
 * one set-based INSERT, one transaction) and as the same rows in one plain
 * multi-row INSERT in a transaction on the same pool, which is what storing
 * them costs with nothing decided. Batches alternate which goes first. Every
 * inserted row is deleted again at the end (--keep leaves them). It reports;
 * it never fails a build on a missed target (exit 1 only on errors).
 */
import os from "node:os";
import { pathToFileURL } from "node:url";
import type pg from "pg";
import type { Database } from "../lib/db/client.ts";
import { evaluateEvent, type Campaign } from "../lib/events/campaigns.ts";
import { ingestEvents } from "../lib/events/ingest.ts";
import { seedCampaigns } from "../lib/seed/index.ts";
import type { EventInput } from "../lib/validations/events.ts";
import { benchDatabase, integerFlag, parseFlags, Refusal, runBench } from "./lib/cli.ts";
import { formatTable, ms, prng, ratio, summarize, timed, type Summary } from "./lib/stats.ts";

export const TARGET = { eventsPerSecond: 5_000, ratio: 0.4 } as const;

const USAGE = `Usage: DATABASE_URL=postgresql://... npm run bench:events -- [options]
  --batches N       timed batches per path (default 40)
  --batch-size N    events per batch (default 500, at most 1000 like the API)
  --warmup N        untimed batches per path first (default 3)
  --pool N          distinct random customers to draw events from (default 20000)
  --seed N          picks customers, types and amounts (default 1)
  --keep            leave the inserted events in the database`;

function parseOptions() {
  const values = parseFlags(
    {
      batches: { type: "string", default: "40" },
      "batch-size": { type: "string", default: "500" },
      warmup: { type: "string", default: "3" },
      pool: { type: "string", default: "20000" },
      seed: { type: "string", default: "1" },
      keep: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    USAGE,
  );
  const int = integerFlag(USAGE);
  return {
    help: values.help,
    batches: int("batches", values.batches, 1),
    batchSize: int("batch-size", values["batch-size"], 1, 1000),
    warmup: int("warmup", values.warmup, 0),
    pool: int("pool", values.pool, 1),
    seed: int("seed", values.seed, 0),
    keep: values.keep,
  };
}
type Options = ReturnType<typeof parseOptions>;

interface Customer {
  id: string;
  external_id: string;
}

/** `size` random customers with an external id, the same ones for the same --seed. */
async function sampleCustomers(pool: pg.Pool, size: number, seed: number): Promise<Customer[]> {
  const client = await pool.connect();
  try {
    await client.query(`SELECT setseed($1)`, [(seed % 1000) / 1000]);
    const { rows } = await client.query<Customer>(
      `SELECT id, external_id FROM customers WHERE external_id IS NOT NULL ORDER BY random() LIMIT $1`,
      [size],
    );
    return rows;
  } finally {
    client.release();
  }
}

function makeBatch(customers: Customer[], size: number, random: () => number): EventInput[] {
  const now = Date.now();
  return Array.from({ length: size }, () => {
    const customer = customers[Math.floor(random() * customers.length)]!;
    const roll = random();
    const type = roll < 0.6 ? "purchase" : roll < 0.85 ? "check_in" : "visit";
    return {
      customer_id: customer.external_id,
      type,
      amount: type === "purchase" ? Math.round(500 + random() * 19_500) / 100 : null,
      occurred_at: new Date(now - Math.floor(random() * 86_400_000)),
      attributes: { bench: true, channel: random() < 0.5 ? "app" : "pos" },
    };
  });
}

const COLUMNS = 11;
/** One multi-row INSERT of the same rows, outcomes decided up front: storage alone. */
function rawInsert(batch: EventInput[], ids: Map<string, string>, campaigns: Campaign[]) {
  const values: unknown[] = [];
  const tuples = batch.map((e, r) => {
    const o = evaluateEvent(e, campaigns, null);
    values.push(
      ids.get(e.customer_id),
      e.type,
      e.amount,
      e.occurred_at,
      o.status,
      o.withheldReason,
      o.points,
      o.tierProgress,
      JSON.stringify(o.rewards),
      JSON.stringify(o.withheld),
      JSON.stringify(e.attributes),
    );
    return `(${Array.from({ length: COLUMNS }, (_, c) => `$${r * COLUMNS + c + 1}`).join(", ")})`;
  });
  return {
    text: `INSERT INTO loyalty_events (customer_id, type, amount, occurred_at, outcome, withheld_reason, points_awarded, tier_progress, rewards, withheld, attributes)
           VALUES ${tuples.join(", ")} RETURNING id`,
    values,
  };
}

export interface IngestionOptions {
  batches: number;
  batchSize: number;
  warmup: number;
  pool: number;
  seed: number;
  keep: boolean;
}

export interface IngestionResult {
  batches: number;
  batchSize: number;
  customers: number;
  ingest: Summary;
  raw: Summary;
  /** Events per second through ingestEvents and through the plain INSERT. */
  ingestRate: number;
  rawRate: number;
  ratio: number;
  pass: { rate: boolean; ratio: boolean };
  outcomes: { processed: number; partially_withheld: number; withheld: number };
  inserted: number;
  kept: boolean;
}

/**
 * The measurement itself, for this script and for bench/consent.ts: batches
 * through ingestEvents and through the raw INSERT, alternating, then the
 * inserted rows deleted again (unless opts.keep).
 */
export async function measureIngestion(database: Database, opts: IngestionOptions): Promise<IngestionResult> {
  if (database.driver.kind !== "postgres") throw new Refusal("DATABASE_URL must point at PostgreSQL");
  const { pool } = database.driver;
  // The demo campaigns, as the seed adds them (idempotent; a changed campaign is left alone).
  await seedCampaigns(database.driver);

  const customers = await sampleCustomers(pool, opts.pool, opts.seed);
  if (customers.length === 0) throw new Refusal("The database holds no customers with an external id; seed it first.");
  const idOf = new Map(customers.map((c) => [c.external_id, c.id]));
  const campaigns: Campaign[] = (
    await pool.query<{
      name: string;
      kind: Campaign["kind"];
      event_type: string;
      points: number;
      points_per_amount: string;
      min_amount: string | null;
      reward: string | null;
    }>(
      `SELECT name, kind, event_type, points, points_per_amount, min_amount, reward FROM loyalty_campaigns WHERE active ORDER BY kind, name`,
    )
  ).rows.map((c) => ({
    name: c.name,
    kind: c.kind,
    eventType: c.event_type,
    points: c.points,
    pointsPerAmount: Number(c.points_per_amount),
    minAmount: c.min_amount === null ? null : Number(c.min_amount),
    reward: c.reward,
  }));

  const random = prng(opts.seed);
  const inserted: string[] = [];
  const times = { ingest: [] as number[], raw: [] as number[] };
  const outcomes = { processed: 0, partially_withheld: 0, withheld: 0 };
  const viaIngest = async (batch: EventInput[]) => {
    const [results, t] = await timed(() => ingestEvents(batch, database));
    for (const r of results) {
      inserted.push(r.id);
      outcomes[r.status]++;
    }
    return t;
  };
  const viaRaw = async (batch: EventInput[]) => {
    const { text, values } = rawInsert(batch, idOf, campaigns);
    const [rows, t] = await timed(() => database.driver.transaction((tx) => tx.query<{ id: string }>(text, values)));
    for (const r of rows) inserted.push(r.id);
    return t;
  };

  try {
    for (let b = 0; b < opts.warmup + opts.batches; b++) {
      const batch = makeBatch(customers, opts.batchSize, random);
      const warm = b < opts.warmup;
      // Alternate which goes first so caching, GC and drift land on both alike.
      const order =
        b % 2 === 0
          ? ([
              ["ingest", viaIngest],
              ["raw", viaRaw],
            ] as const)
          : ([
              ["raw", viaRaw],
              ["ingest", viaIngest],
            ] as const);
      for (const [name, run] of order) {
        const t = await run(batch);
        if (!warm) times[name].push(t);
      }
    }
  } finally {
    if (!opts.keep) {
      // Delete by id (loyalty_events has no index on attributes to sweep {"bench": true} quickly).
      for (let i = 0; i < inserted.length; i += 10_000) {
        await pool.query(`DELETE FROM loyalty_events WHERE id = ANY($1::bigint[])`, [inserted.slice(i, i + 10_000)]);
      }
    }
  }

  const rate = (samples: number[]) => (samples.length * opts.batchSize * 1000) / samples.reduce((s, v) => s + v, 0);
  const ingestRate = rate(times.ingest);
  const rawRate = rate(times.raw);
  const r = ingestRate / rawRate;
  return {
    batches: opts.batches,
    batchSize: opts.batchSize,
    customers: customers.length,
    ingest: summarize(times.ingest),
    raw: summarize(times.raw),
    ingestRate,
    rawRate,
    ratio: r,
    pass: { rate: ingestRate >= TARGET.eventsPerSecond, ratio: r >= TARGET.ratio },
    outcomes,
    inserted: inserted.length,
    kept: opts.keep,
  };
}

export function printIngestion(result: IngestionResult): void {
  const { ingest, raw, ingestRate, rawRate, ratio: r, outcomes } = result;
  const rows = [
    [
      "ingestEvents",
      Math.round(ingestRate).toLocaleString("en"),
      ms(ingest.p50),
      ms(ingest.p95),
      ms(ingest.max),
      result.pass.rate ? "PASS" : "MISS",
    ],
    ["raw multi-row INSERT", Math.round(rawRate).toLocaleString("en"), ms(raw.p50), ms(raw.p95), ms(raw.max), "context"],
  ];
  console.log(
    formatTable(
      ["path", "events/s", "batch p50 ms", "batch p95 ms", "max ms", `target ≥ ${TARGET.eventsPerSecond.toLocaleString("en")}/s`],
      rows,
    ),
  );
  console.log(`\ningestEvents ÷ raw throughput: ${ratio(r)} (target ≥ ${TARGET.ratio}x): ${result.pass.ratio ? "PASS" : "MISS"}`);
  const total = outcomes.processed + outcomes.partially_withheld + outcomes.withheld;
  const share = (n: number) => `${((100 * n) / total).toFixed(1)}%`;
  console.log(
    `Outcomes through ingestEvents (incl. warm-up): processed ${share(outcomes.processed)}, partially withheld ${share(outcomes.partially_withheld)}, withheld ${share(outcomes.withheld)}`,
  );
  console.log(
    result.kept
      ? `Kept ${result.inserted.toLocaleString("en")} inserted events.`
      : `Deleted the ${result.inserted.toLocaleString("en")} events it inserted.`,
  );
}

async function main(): Promise<void> {
  const opts: Options = parseOptions();
  if (opts.help) return void console.log(USAGE);
  // It migrates first: event ingestion needs the consent-management schema.
  const database = await benchDatabase(USAGE);
  const { pool } = database.driver;
  // Before the facts, so the campaign count includes them (measureIngestion seeds them again, idempotently).
  await seedCampaigns(database.driver);

  const [facts] = (
    await pool.query<{ version: string; customers: string; events: string; campaigns: string }>(
      `SELECT current_setting('server_version') AS version, (SELECT count(*) FROM customers) AS customers,
         (SELECT count(*) FROM loyalty_events) AS events, (SELECT count(*) FROM loyalty_campaigns WHERE active) AS campaigns`,
    )
  ).rows;

  console.log(`Loyalty event ingestion, ${new Date().toISOString()}`);
  console.log(
    `  PostgreSQL ${facts?.version}; ${Number(facts?.customers).toLocaleString("en")} customers, ${Number(facts?.events).toLocaleString("en")} events, ` +
      `${facts?.campaigns} active campaigns; ${os.cpus().length} CPUs, load ${os
        .loadavg()
        .map((v) => v.toFixed(2))
        .join(" / ")}`,
  );
  console.log(
    `  ${opts.batches} batches of ${opts.batchSize} per path (+${opts.warmup} warm-up), events for up to ${opts.pool.toLocaleString("en")} random customers, one batch at a time\n`,
  );

  printIngestion(await measureIngestion(database, opts));
  console.log(
    `Load average at the end: ${os
      .loadavg()
      .map((v) => v.toFixed(2))
      .join(" / ")} (1/5/15 min)`,
  );
}

// Run as a script (npm run bench:events), not when bench/consent.ts imports measureIngestion.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runBench(main);
}
