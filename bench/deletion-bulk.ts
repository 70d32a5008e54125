/**
 * Bulk deletion benchmark against a PostgreSQL server.
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench:deletion-bulk -- [options]
 *
 * In a scratch database it creates on the server of DATABASE_URL (migrated,
 * dropped at the end), seeds two identical sets of --rows customers (each with
 * audience memberships, a journey enrolment, loyalty events, consent and its
 * history) among --others more, and two integrations. Then:
 *
 * - the product: a --rows-line CSV of the first set's external ids goes
 *   through uploadDeletionBatch (lib/deletions/bulk.ts), is approved by a
 *   second officer, and the processor (lib/deletions/processor.ts) erases it:
 *   one transaction per customer, --concurrency in flight. Customers/s is
 *   counted from the approval to the batch being done.
 * - raw SQL: the second set erased with the same writes (the same columns,
 *   from lib/deletions/retention.ts: memberships to past spans, enrolments
 *   ended, events, history and consent scrubbed, signals dropped, profile
 *   erased, tombstone, one delete signal per integration, the request
 *   updated, its audit entry, the batch row) hand-written, one transaction
 *   per customer, as many lanes: what the database itself costs.
 *
 * It reports; it never fails a build on a missed target (exit 1 only on errors).
 */
import os from "node:os";
import type { Actor } from "../lib/auth/actor.ts";
import { auditEntriesParam, auditInsertSql } from "../lib/audit/append.ts";
import { createDatabase, type Database } from "../lib/db/client.ts";
import { migrate } from "../lib/db/migrate.ts";
import { createScratchDatabase } from "../lib/db/scratch.ts";
import { getDeletionBatch } from "../lib/deletions/batches.ts";
import { approveDeletionBatch, uploadDeletionBatch } from "../lib/deletions/bulk.ts";
import { createDeletionProcessor } from "../lib/deletions/processor.ts";
import { erasedColumns } from "../lib/deletions/retention.ts";
import { TEXTS_SQL } from "../lib/deletions/scrub-texts.ts";
import { bindNamed } from "../lib/db/named.ts";
import { tombstoneHashes } from "../lib/deletions/tombstone.ts";
import { setDatabase } from "../lib/db/client.ts";
import { integerFlag, parseFlags, Refusal, runBench } from "./lib/cli.ts";
import { formatTable } from "./lib/stats.ts";

const TARGET_PER_SECOND = 200;

const USAGE = `Usage: DATABASE_URL=postgresql://... npm run bench:deletion-bulk -- [options]
  --rows N          customers in the CSV, and in the raw SQL run (default 10000)
  --others N        further customers nobody deletes (default 20000)
  --concurrency N   erasures in flight (default 4)`;

const officer: Actor = {
  kind: "user",
  id: "bench-officer",
  label: "officer@bench.example",
  role: "privacy_officer",
  ip: null,
  userAgent: null,
};
const second: Actor = { ...officer, id: "bench-second", label: "second@bench.example" };

async function seed(driver: Database["driver"], prefix: string, n: number, audiences: string[]) {
  await driver.query(
    `INSERT INTO customers (external_id, name, name_search, email, phone, push_token, attributes)
     SELECT $1 || g, 'Bench Person ' || g, 'bench person ' || g, $1 || g || '@bench.example', '+44207946' || lpad(g::text, 6, '0'), 'push-' || $1 || g,
       jsonb_build_object('nickname', 'Bench ' || g, 'tier', 'gold')
     FROM generate_series(1, $2::int) g`,
    [prefix, n],
  );
  const ids = `SELECT id FROM customers WHERE external_id LIKE $1 || '%'`;
  await driver.query(
    `INSERT INTO audience_memberships (audience_id, customer_id, email, push_token, joined_at)
     SELECT a, c.id, c.email, c.push_token, now() - interval '10 days' FROM customers c, unnest($2::uuid[]) a WHERE c.external_id LIKE $1 || '%'`,
    [prefix, audiences],
  );
  await driver.query(
    `INSERT INTO journey_enrolments (journey_id, customer_id, step) SELECT (SELECT id FROM journeys LIMIT 1), id, 'welcome' FROM (${ids}) c`,
    [prefix],
  );
  await driver.query(
    `INSERT INTO loyalty_events (customer_id, type, event_id, amount, occurred_at, outcome, points_awarded, rewards, attributes)
     SELECT c.id, 'purchase', 'order-' || c.id || '-' || g, 10, now() - (g || ' hours')::interval, 'processed', 5, '[]', jsonb_build_object('note', 'bench')
     FROM (${ids}) c, generate_series(1, 5) g`,
    [prefix],
  );
  await driver.query(
    `INSERT INTO customer_consents (customer_id, version, email_marketing, vendors) SELECT id, 1, true, '{}' FROM (${ids}) c`,
    [prefix],
  );
  await driver.query(
    `INSERT INTO consent_changes (customer_id, version, source, actor_type, actor_label, after, changed, reason)
     SELECT id, 1, 'dashboard', 'user', 'officer@bench.example', '{}', '{email_marketing}', 'Asked by phone' FROM (${ids}) c`,
    [prefix],
  );
}

const eraseSet = (table: string) =>
  erasedColumns(table)
    .map((c) => `${c.column} = ${c.sql}`)
    .join(", ");

/** The raw run: the same writes for each customer of `prefix`, one transaction each, `lanes` at once. */
async function rawErase(database: Database, prefix: string, lanes: number): Promise<number> {
  const { driver } = database;
  const [batch] = await driver.query<{ id: string }>(
    `INSERT INTO deletion_batches (status, regime, file_name, total_rows, created_by_label) VALUES ('processing', 'gdpr', 'raw.csv', 0, 'raw') RETURNING id`,
  );
  const customers = await driver.query<{ id: string; external_id: string; email: string; phone: string; erased_at: null }>(
    `SELECT id, external_id, email, phone, erased_at FROM customers WHERE external_id LIKE $1 || '%' ORDER BY external_id`,
    [prefix],
  );
  // The upload's share, set-based: a request per customer and a row each.
  await driver.query(
    `WITH r AS (INSERT INTO deletion_requests (customer_id, source, regime, requested_by_type, requested_by_label, due_at, batch_id)
       SELECT id, 'bulk', 'gdpr', 'user', 'raw', now() + interval '1 month', $2 FROM customers WHERE external_id LIKE $1 || '%' RETURNING id, customer_id)
     INSERT INTO deletion_batch_rows (batch_id, row_no, identifier_kind, identifier_hash, request_id)
     SELECT $2, row_number() OVER (ORDER BY r.customer_id), 'external_id', 'h', r.id FROM r`,
    [prefix, batch!.id],
  );
  const requests = new Map(
    (
      await driver.query<{ id: string; customer_id: string }>(`SELECT id, customer_id FROM deletion_requests WHERE batch_id = $1`, [
        batch!.id,
      ])
    ).map((r) => [r.customer_id, r.id]),
  );
  const actor = { kind: "system" as const, id: "raw", label: "raw" };
  const started = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < customers.length) {
      const c = customers[next++]!;
      const request = requests.get(c.id)!;
      const h = tombstoneHashes(c);
      await driver.transaction(async (tx) => {
        await tx.query(`SELECT id FROM customers WHERE id = $1 FOR UPDATE`, [c.id]);
        await tx.query(`UPDATE deletion_batch_rows SET outcome = 'erased' WHERE batch_id = $1 AND request_id = $2 AND outcome IS NULL`, [
          batch!.id,
          request,
        ]);
        await tx.query(`SELECT set_config('consent_desk.erasure', 'on', true)`);
        await tx.query(
          `WITH gone AS (DELETE FROM audience_memberships WHERE customer_id = $1 RETURNING audience_id, joined_at)
           INSERT INTO audience_past_memberships (audience_id, joined_at, left_at) SELECT audience_id, joined_at, now() FROM gone`,
          [c.id],
        );
        await tx.query(`UPDATE journey_enrolments SET status = 'exited' WHERE customer_id = $1 AND status = 'active'`, [c.id]);
        await tx.query(`UPDATE loyalty_events SET ${eraseSet("loyalty_events")} WHERE customer_id = $1`, [c.id]);
        await tx.query(`UPDATE consent_changes SET ${eraseSet("consent_changes")} WHERE customer_id = $1`, [c.id]);
        await tx.query(`UPDATE customer_consents SET ${eraseSet("customer_consents")} WHERE customer_id = $1`, [c.id]);
        await tx.query(`DELETE FROM integration_signals WHERE customer_id = $1 AND kind = 'consent_change' AND status <> 'delivered'`, [
          c.id,
        ]);
        await tx.query(`UPDATE customers SET ${eraseSet("customers")}, erased_at = now(), updated_at = now() WHERE id = $1`, [c.id]);
        await tx.query(
          `INSERT INTO customer_tombstones (customer_id, request_id, external_id_hash, email_hash, phone_hash) VALUES ($1, $2, $3, $4, $5)`,
          [c.id, request, h.external_id_hash, h.email_hash, h.phone_hash],
        );
        await tx.query(TEXTS_SQL.text, bindNamed(TEXTS_SQL, { request_id: request }));
        await tx.query(
          `INSERT INTO integration_signals (integration_id, customer_id, kind, deletion_request_id, payload)
           SELECT i.id, $1, 'delete', $2::uuid, jsonb_build_object('customer_id', $3::text) FROM integrations i`,
          [c.id, request, c.external_id],
        );
        await tx.query(
          `WITH req AS (UPDATE deletion_requests SET status = 'erased', erased_at = now(), identifier_hash = $2 WHERE id = $1 RETURNING id)
           ${auditInsertSql({ param: 3, when: "EXISTS (SELECT 1 FROM req)" })}`,
          [request, h.external_id_hash, auditEntriesParam([{ actor, action: "customer.delete", target: { type: "customer", id: c.id } }])],
        );
      });
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return (performance.now() - started) / 1000;
}

async function main() {
  const values = parseFlags(
    {
      rows: { type: "string", default: "10000" },
      others: { type: "string", default: "20000" },
      concurrency: { type: "string", default: "4" },
      help: { type: "boolean" },
    },
    USAGE,
  );
  if (values.help) return void console.log(USAGE);
  const int = integerFlag(USAGE);
  const opts = {
    rows: int("rows", values.rows, 1, 100_000),
    others: int("others", values.others, 0, 5_000_000),
    concurrency: int("concurrency", values.concurrency, 1, 64),
  };
  const serverUrl = process.env.DATABASE_URL?.trim();
  if (!serverUrl) throw new Refusal(`DATABASE_URL is not set. This bench measures bulk deletion on a PostgreSQL server.\n\n${USAGE}`);
  const load = () =>
    os
      .loadavg()
      .map((v) => v.toFixed(2))
      .join(" / ");

  const scratch = await createScratchDatabase(serverUrl, "cd_deletion_bulk_bench");
  const database = createDatabase({ kind: "postgres", url: scratch.url }, { poolSize: opts.concurrency + 2 });
  try {
    await migrate(database.driver);
    setDatabase(database);
    const { driver } = database;
    const [{ version } = { version: "?" }] = await driver.query<{ version: string }>(`SELECT split_part(version(), ' ', 2) AS version`);
    await driver.query(
      `INSERT INTO integrations (name, vendor, endpoint) VALUES ('Braze', 'braze', 'https://example.test/a'), ('Meta', 'meta', 'https://example.test/b')`,
    );
    const audiences = (
      await driver.query<{ id: string }>(`INSERT INTO audiences (name) SELECT 'Bench ' || g FROM generate_series(1, 2) g RETURNING id`)
    ).map((a) => a.id);
    await driver.query(`INSERT INTO journeys (name) VALUES ('Bench welcome')`);
    const seedStart = performance.now();
    await seed(driver, "others-", opts.others, audiences);
    await seed(driver, "bulk-", opts.rows, audiences);
    await seed(driver, "raw-", opts.rows, audiences);
    await driver.exec("ANALYZE");
    const seeded = (performance.now() - seedStart) / 1000;

    const cpus = os.cpus();
    console.log(`Consent Desk bulk deletion bench, ${new Date().toISOString()}`);
    console.log(`  machine:   ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? "unknown"}); node ${process.version}; PostgreSQL ${version}`);
    console.log(`  load:      ${load()} (1/5/15 min) at start`);
    if ((os.loadavg()[0] ?? 0) > cpus.length * 0.5)
      console.log(`  WARNING:   the machine is busy (load ${os.loadavg()[0]!.toFixed(2)} on ${cpus.length} CPUs): expect noisy figures`);
    console.log(
      `  data:      ${(opts.others + 2 * opts.rows).toLocaleString("en")} customers (2 memberships, 1 enrolment, 5 events, consent and history each), ` +
        `2 integrations; seeded in ${seeded.toFixed(1)} s`,
    );
    console.log(`  runs:      a ${opts.rows.toLocaleString("en")}-row CSV; ${opts.concurrency} erasures in flight\n`);

    const csv = "external_id\n" + Array.from({ length: opts.rows }, (_, i) => `bulk-${i + 1}`).join("\n") + "\n";
    const uploadStart = performance.now();
    const batch = await uploadDeletionBatch({ csv, fileName: "bench.csv", actor: officer });
    const uploadSeconds = (performance.now() - uploadStart) / 1000;
    await approveDeletionBatch(batch.id, second);
    const processStart = performance.now();
    await createDeletionProcessor({ database, concurrency: opts.concurrency, log: () => {} }).runOnce();
    const processSeconds = (performance.now() - processStart) / 1000;
    const done = await getDeletionBatch(batch.id);
    if (done?.status !== "done" || done.counts.erased !== opts.rows)
      throw new Error(`the batch ended ${done?.status} with ${done?.counts.erased} erased`);
    const loadMid = load();

    const rawSeconds = await rawErase(database, "raw-", opts.concurrency);
    const loadEnd = load();

    const rate = (seconds: number) => `${Math.round(opts.rows / seconds).toLocaleString("en")}/s`;
    console.log(
      formatTable(
        ["", "customers", "seconds", "customers/s", "target"],
        [
          ["upload: parse, resolve, requests, rows (one tx)", String(opts.rows), uploadSeconds.toFixed(2), rate(uploadSeconds), ""],
          [
            "processor: eraseReceivedRequest per customer",
            String(opts.rows),
            processSeconds.toFixed(2),
            rate(processSeconds),
            `>= ${TARGET_PER_SECOND}/s`,
          ],
          ["raw SQL: the same writes per customer", String(opts.rows), rawSeconds.toFixed(2), rate(rawSeconds), ""],
        ],
      ),
    );
    console.log(`\n  load:      ${loadMid} after the processor, ${loadEnd} at end (1/5/15 min)`);
    const perSecond = opts.rows / processSeconds;
    console.log(perSecond < TARGET_PER_SECOND ? `  MISSED:    ${Math.round(perSecond)}/s < ${TARGET_PER_SECOND}/s` : "  target:    met");
  } finally {
    await database.prisma.$disconnect();
    await database.driver.close().catch(() => {});
    await scratch.drop();
  }
}

runBench(main, async () => {});
