/**
 * Single-deletion benchmark against a PostgreSQL server.
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench:deletion -- [options]
 *
 * In a scratch database it creates on the server of DATABASE_URL (migrated,
 * dropped at the end), it seeds --customers customers with the project's
 * set-based seed (lib/seed: consents, history, three memberships each,
 * enrolments), makes the integrations up to --integrations, then adds the
 * customers to delete: each with --memberships audience memberships,
 * --events loyalty events, --history consent versions (reasons, TC strings)
 * and, per integration, one delivered and one queued consent-change signal.
 *
 * It times requestDeletion (lib/deletions/erase.ts, the app's one
 * transaction) for --samples of them, and, interleaved with it in the same
 * run (app then raw, raw then app, alternately), the same writes as one
 * hand-written transaction on a plain pg pool: the same statements in the
 * same order, no app code, so the gap is what the app adds.
 *
 * Bulk-deletion throughput is bench/deletion-bulk.ts. It reports; it never
 * fails a build on a missed target (exit 1 only on errors).
 */
import { createHmac, randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import os from "node:os";
import pg from "pg";
import type { SystemActor } from "../lib/audit/append.ts";
import { createDatabase, type Database } from "../lib/db/client.ts";
import { migrate } from "../lib/db/migrate.ts";
import { createScratchDatabase } from "../lib/db/scratch.ts";
import { bindNamed } from "../lib/db/named.ts";
import { requestDeletion } from "../lib/deletions/erase.ts";
import { TEXTS_SQL } from "../lib/deletions/scrub-texts.ts";
import { seedDatabase } from "../lib/seed/index.ts";
import { integerFlag, parseFlags, Refusal, runBench } from "./lib/cli.ts";
import { formatTable, ms, ratio, summarize, type Summary } from "./lib/stats.ts";

const TARGET = { p95Ms: 100 } as const;
const WARMUP = 5;

const USAGE = `Usage: DATABASE_URL=postgresql://... npm run bench:deletion -- [options]
  --customers N      seeded customers (default 1000000)
  --seed-events N    loyalty events of each seeded customer (default 0: only the deleted customers have events)
  --samples N        timed deletions per side, app and raw SQL (default 40, at least 30 for a p95)
  --memberships N    audience memberships of each deleted customer (default 50)
  --events N         loyalty events of each deleted customer (default 1000)
  --history N        consent versions of each deleted customer (default 6)
  --integrations N   integrations, each told by a delete signal (default 5)
  --json FILE        also write the results as JSON`;

const load = () =>
  os
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(" / ");

function parseOptions() {
  const values = parseFlags(
    {
      customers: { type: "string", default: "1000000" },
      "seed-events": { type: "string", default: "0" },
      samples: { type: "string", default: "40" },
      memberships: { type: "string", default: "50" },
      events: { type: "string", default: "1000" },
      history: { type: "string", default: "6" },
      integrations: { type: "string", default: "5" },
      json: { type: "string" },
      help: { type: "boolean", default: false },
    },
    USAGE,
  );
  const int = integerFlag(USAGE);
  return {
    help: values.help,
    customers: int("customers", values.customers, 0, 20_000_000),
    seedEvents: int("seed-events", values["seed-events"], 0, 100),
    samples: int("samples", values.samples, 1, 10_000),
    memberships: int("memberships", values.memberships, 0, 1_000),
    events: int("events", values.events, 0, 100_000),
    history: int("history", values.history, 1, 100),
    integrations: int("integrations", values.integrations, 0, 50),
    json: values.json,
  };
}
type Options = ReturnType<typeof parseOptions>;

// ---- The customers to delete ------------------------------------------------

const targetId = (expr: string) => `md5('cd-bench-deletion-' || ${expr})::uuid`;

/** Customers 1..count to delete, each with everything the erasure touches, in a few set-based statements. */
async function seedTargets(pool: pg.Pool, opts: Options, count: number) {
  const q = (sql: string, params: unknown[] = []) => pool.query(sql, params);
  await q(
    `INSERT INTO audiences (id, name) SELECT md5('cd-bench-deletion-audience-' || a)::uuid, 'Bench audience ' || a
     FROM generate_series(1, $1::int) a ON CONFLICT DO NOTHING`,
    [opts.memberships],
  );
  await q(
    `INSERT INTO customers (id, external_id, name, name_search, email, phone, push_token, attributes)
     SELECT ${targetId("k")}, 'del_' || lpad(k::text, 6, '0'), 'Delete Me ' || k, 'delete me ' || k, 'delete.me.' || k || '@example.com',
       '+1555' || lpad(k::text, 7, '0'), 'fcm:bench-' || k, jsonb_build_object('tier', 'gold', 'notes', 'Call Delete Me ' || k)
     FROM generate_series(1, $1::int) k`,
    [count],
  );
  await q(
    `INSERT INTO audience_memberships (audience_id, customer_id, email, push_token, joined_at)
     SELECT md5('cd-bench-deletion-audience-' || a)::uuid, ${targetId("k")}, 'delete.me.' || k || '@example.com', 'fcm:bench-' || k,
       now() - interval '30 days'
     FROM generate_series(1, $1::int) k CROSS JOIN generate_series(1, $2::int) a`,
    [count, opts.memberships],
  );
  await q(
    `INSERT INTO journey_enrolments (journey_id, customer_id, step)
     SELECT j.id, ${targetId("k")}, 'step-1' FROM generate_series(1, $1::int) k CROSS JOIN (SELECT id FROM journeys ORDER BY id LIMIT 2) j
     ON CONFLICT DO NOTHING`,
    [count],
  );
  await q(
    `INSERT INTO loyalty_events (customer_id, type, event_id, amount, occurred_at, outcome, points_awarded, rewards, attributes)
     SELECT ${targetId("k")}, CASE WHEN g % 3 = 0 THEN 'purchase' ELSE 'visit' END, 'order-' || k || '-' || g, 10,
       now() - g * interval '1 hour', 'processed', 5, '[]', jsonb_build_object('note', 'for delete.me.' || k || '@example.com', 'g', g)
     FROM generate_series(1, $1::int) k CROSS JOIN generate_series(1, $2::int) g`,
    [count, opts.events],
  );
  await q(
    `INSERT INTO customer_consents (customer_id, version, email_marketing, vendors, consent_string, tcf)
     SELECT ${targetId("k")}, $2::int, false, '{}', 'CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA', '{"version": 2}'
     FROM generate_series(1, $1::int) k`,
    [count, opts.history],
  );
  await q(
    `INSERT INTO consent_changes (customer_id, version, source, actor_type, actor_label, after, changed, reason, consent_string)
     SELECT ${targetId("k")}, v, 'dashboard', 'user', 'officer@example.com', '{}', '{email_marketing}',
       'Asked by phone from delete.me.' || k || '@example.com', 'CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA'
     FROM generate_series(1, $1::int) k CROSS JOIN generate_series(1, $2::int) v`,
    [count, opts.history],
  );
  // Per integration, one consent change delivered and one still queued: the erasure scrubs the first and drops the second.
  await q(
    `INSERT INTO integration_signals (integration_id, customer_id, kind, payload, status, attempts, delivered_at)
     SELECT i.id, ${targetId("k")}, 'consent_change', jsonb_build_object('customer_id', 'del_' || lpad(k::text, 6, '0'), 'version', 2),
       s.status::signal_status, CASE WHEN s.status = 'delivered' THEN 1 ELSE 0 END, CASE WHEN s.status = 'delivered' THEN now() END
     FROM generate_series(1, $1::int) k CROSS JOIN integrations i CROSS JOIN (VALUES ('delivered'), ('pending')) s(status)`,
    [count],
  );
  // The queued ones must never go out: no worker runs here, and the integrations point nowhere.
  await pool.query("VACUUM (ANALYZE) customers, audience_memberships, loyalty_events, consent_changes, integration_signals");
}

// ---- The same writes, hand-written --------------------------------------------

const ACTOR: SystemActor = { kind: "system", label: "deletion bench" };

/**
 * The erasure's statements (lib/deletions/erase.ts) in one transaction,
 * written out by hand: the same reads, writes and order, hashes with node's
 * crypto, the audit entries as a plain insert. Kept in step with erase.ts by
 * eye; what it writes is checked after the run.
 */
async function rawDeletion(pool: pg.Pool, customerId: string, secret: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<{ id: string; external_id: string | null; email: string | null; phone: string | null }>(
      `SELECT id, external_id, email, phone, erased_at FROM customers WHERE id = $1 FOR UPDATE`,
      [customerId],
    );
    const c = rows[0];
    if (!c) throw new Error(`raw: no customer ${customerId}`);
    await client.query(`SELECT id FROM deletion_requests WHERE customer_id = $1`, [customerId]);
    const now = new Date();
    const due = new Date(now.getTime() + 31 * 86_400_000);
    const request = (
      await client.query<{ id: string }>(
        `INSERT INTO deletion_requests (customer_id, source, regime, reason, requested_by_type, requested_by_id, requested_by_label, received_at, due_at)
         VALUES ($1, 'api', 'gdpr', NULL, 'system', NULL, 'deletion bench', $2, $3) RETURNING id`,
        [customerId, now, due],
      )
    ).rows[0]!.id;
    const hmac = (kind: string, value: string | null) =>
      value === null ? null : `hmac-sha256:${createHmac("sha256", secret).update(`${kind}:${value}`).digest("hex")}`;
    const hashes = [hmac("external_id", c.external_id), hmac("email", c.email), hmac("phone", c.phone)];
    const requestHash = hashes[0] ?? hashes[1] ?? hashes[2];
    await client.query(`SELECT set_config('consent_desk.erasure', 'on', true)`);
    const audiences = await client.query(
      `WITH gone AS (DELETE FROM audience_memberships WHERE customer_id = $1 RETURNING audience_id, joined_at)
       INSERT INTO audience_past_memberships (audience_id, joined_at, left_at) SELECT audience_id, joined_at, $2 FROM gone RETURNING 1`,
      [customerId, now],
    );
    const journeys = await client.query(
      `UPDATE journey_enrolments SET status = 'exited' WHERE customer_id = $1 AND status = 'active' RETURNING 1`,
      [customerId],
    );
    const events = await client.query<{ kept: number }>(
      `WITH scrubbed AS (UPDATE loyalty_events SET event_id = NULL, attributes = '{}'::jsonb
         WHERE customer_id = $1 AND (event_id IS DISTINCT FROM NULL OR attributes IS DISTINCT FROM '{}'::jsonb) RETURNING 1)
       SELECT (SELECT count(*) FROM loyalty_events WHERE customer_id = $1)::int AS kept, (SELECT count(*) FROM scrubbed)::int AS scrubbed`,
      [customerId],
    );
    const history = await client.query(
      `UPDATE consent_changes SET reason = NULL, consent_string = NULL
       WHERE customer_id = $1 AND (reason IS DISTINCT FROM NULL OR consent_string IS DISTINCT FROM NULL) RETURNING 1`,
      [customerId],
    );
    await client.query(
      `UPDATE customer_consents SET consent_string = NULL, tcf = NULL WHERE customer_id = $1 AND (consent_string IS DISTINCT FROM NULL OR tcf IS DISTINCT FROM NULL)`,
      [customerId],
    );
    const dropped = await client.query<{ integration_id: string; lease_until: Date | null }>(
      `DELETE FROM integration_signals WHERE customer_id = $1 AND kind = 'consent_change' AND status <> 'delivered'
       RETURNING integration_id, lease_until`,
      [customerId],
    );
    const inFlight = dropped.rows
      .filter((d) => d.lease_until !== null)
      .map((d) => ({ integration_id: d.integration_id, until: d.lease_until }));
    await client.query(
      `WITH sent AS (
         SELECT id, payload ->> 'customer_id' AS external_id FROM integration_signals
         WHERE customer_id = $1 AND kind = 'consent_change' AND payload ->> 'customer_id' IS DISTINCT FROM $2::text
       ), attempts AS (
         UPDATE delivery_attempts a SET receiver_ref = deletion_scrub_reference(a.receiver_ref, sent.external_id, $2::text)
         FROM sent WHERE a.signal_id = sent.id AND a.receiver_ref IS NOT NULL
           AND a.receiver_ref IS DISTINCT FROM deletion_scrub_reference(a.receiver_ref, sent.external_id, $2::text)
       )
       UPDATE integration_signals s SET payload = s.payload || jsonb_build_object('customer_id', $2::text),
         receiver_ref = deletion_scrub_reference(s.receiver_ref, sent.external_id, $2::text)
       FROM sent WHERE s.id = sent.id`,
      [customerId, requestHash],
    );
    await client.query(
      `UPDATE customers SET external_id = NULL, name = NULL, name_search = NULL, email = NULL, phone = NULL, push_token = NULL,
         attributes = '{}'::jsonb, erased_at = $2, updated_at = $2 WHERE id = $1`,
      [customerId, now],
    );
    await client.query(
      `INSERT INTO customer_tombstones (customer_id, request_id, external_id_hash, email_hash, phone_hash, erased_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [customerId, request, ...hashes, now],
    );
    // The free text about the request, read to be scrubbed again (nothing to write here: the bench's reason is empty).
    await client.query(TEXTS_SQL.text, bindNamed(TEXTS_SQL, { request_id: request }));
    const signals = await client.query(
      `INSERT INTO integration_signals (integration_id, customer_id, kind, deletion_request_id, payload, next_attempt_at)
       SELECT i.id, $1, 'delete', $2::uuid, jsonb_build_object('customer_id', $3::text, 'request_id', $2::uuid::text, 'erased_at', $4::timestamptz),
         greatest(now(), held.until)
       FROM integrations i
       LEFT JOIN (SELECT h.integration_id, max(h.until) AS until FROM jsonb_to_recordset($5::jsonb) AS h(integration_id uuid, until timestamptz)
                  GROUP BY h.integration_id) held ON held.integration_id = i.id
       ORDER BY i.name RETURNING id`,
      [customerId, request, c.external_id, now, JSON.stringify(inFlight)],
    );
    const summary = {
      audiences: audiences.rowCount ?? 0,
      journeys: journeys.rowCount ?? 0,
      events: events.rows[0]?.kept ?? 0,
      consent_changes: history.rowCount ?? 0,
      signals_dropped: dropped.rowCount ?? 0,
      integrations: signals.rowCount ?? 0,
    };
    const status = summary.integrations === 0 ? "completed" : "erased";
    await client.query(
      `WITH req AS (
         UPDATE deletion_requests SET status = $2::deletion_status, erased_at = $3, completed_at = CASE WHEN $2::deletion_status = 'completed' THEN $3::timestamptz END,
           identifier_hash = $4, summary = $5 WHERE id = $1 RETURNING id
       )
       INSERT INTO audit_entries (actor_type, actor_id, actor_label, action, target_type, target_id, summary, ip, user_agent, occurred_at)
       SELECT 'system', NULL, $6, e.action, e.target_type, e.target_id, e.summary, NULL, NULL, clock_timestamp()
       FROM (VALUES ('deletion.request', 'deletion_request', $1::text, jsonb_build_object('source', 'api', 'regime', 'gdpr', 'customer_id', $7::text)),
                    ('customer.delete', 'customer', $7::text, jsonb_build_object('request_id', $1::text) || $5::jsonb)) e(action, target_type, target_id, summary)
       WHERE EXISTS (SELECT 1 FROM req)
       ORDER BY abs(hashtext(e.target_type || ':' || e.target_id)) % 8`,
      [request, status, now, requestHash, JSON.stringify(summary), ACTOR.label, customerId],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

// ---- The run ------------------------------------------------------------------

async function timedMs(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

async function main() {
  const opts = parseOptions();
  if (opts.help) return void console.log(USAGE);
  const serverUrl = process.env.DATABASE_URL?.trim();
  if (!serverUrl) throw new Refusal(`DATABASE_URL is not set. This bench measures a deletion on a PostgreSQL server.\n\n${USAGE}`);
  if (opts.samples < 30) console.log(`  note: ${opts.samples} samples per side is too few for a meaningful p95 (30 or more)`);

  const scratch = await createScratchDatabase(serverUrl, "cd_deletion_bench");
  let app: Database | null = null;
  const raw = new pg.Pool({ connectionString: scratch.url, max: 2 });
  try {
    app = createDatabase({ kind: "postgres", url: scratch.url }, { poolSize: 2 });
    const cpus = os.cpus();
    console.log(`Consent Desk single-deletion bench, ${new Date().toISOString()}`);
    console.log(`  machine:   ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? "unknown"}); node ${process.version}`);
    console.log(`  load:      ${load()} (1/5/15 min) at start`);
    await migrate(app.driver);

    const seedStarted = performance.now();
    let shown = 0;
    await seedDatabase(app.driver, {
      customers: opts.customers,
      eventsPerCustomer: opts.seedEvents,
      onProgress: (done, total) => {
        if (done - shown >= total / 10 || done === total) {
          shown = done;
          process.stderr.write(`  seeding:   ${done.toLocaleString("en")} / ${total.toLocaleString("en")} customers\n`);
        }
      },
    });
    await raw.query(
      `INSERT INTO integrations (name, vendor, endpoint, purposes)
       SELECT 'Bench tool ' || n, 'bench_' || n, 'https://bench.invalid/hooks/' || n, '{}'
       FROM generate_series(1, greatest(0, $1::int - (SELECT count(*) FROM integrations)::int)) n`,
      [opts.integrations],
    );
    await raw.query(`DELETE FROM integrations WHERE id IN (SELECT id FROM integrations ORDER BY name OFFSET $1::int)`, [opts.integrations]);
    const total = 2 * (opts.samples + WARMUP);
    await seedTargets(raw, opts, total);
    const seedSeconds = (performance.now() - seedStarted) / 1000;

    const [pgVersion] = (await raw.query<{ v: string }>(`SELECT split_part(version(), ' ', 2) AS v`)).rows;
    const counts = (
      await raw.query<Record<string, string>>(
        `SELECT (SELECT count(*) FROM customers) AS customers, (SELECT count(*) FROM audience_memberships) AS memberships,
           (SELECT count(*) FROM loyalty_events) AS events, (SELECT count(*) FROM consent_changes) AS history,
           (SELECT count(*) FROM integrations) AS integrations`,
      )
    ).rows[0]!;
    const n = (k: string) => Number(counts[k]).toLocaleString("en");
    console.log(`  postgres:  ${pgVersion?.v ?? "?"}; scratch database seeded in ${seedSeconds.toFixed(0)} s`);
    console.log(
      `  rows:      ${n("customers")} customers, ${n("memberships")} memberships, ${n("events")} events, ${n("history")} consent versions, ${n("integrations")} integrations`,
    );
    console.log(
      `  each:      ${opts.memberships} memberships, ${opts.events} events, ${opts.history} consent versions, 2 enrolments, ` +
        `${2 * opts.integrations} consent-change signals (half queued); ${opts.samples} deletions per side, after ${WARMUP} untimed`,
    );
    console.log(`  load:      ${load()} (1/5/15 min) after seeding\n`);

    const secret = randomBytes(32).toString("base64url");
    const ids = (
      await raw.query<{ id: string }>(`SELECT ${targetId("k")}::text AS id FROM generate_series(1, $1::int) k ORDER BY k`, [total])
    ).rows.map((r) => r.id);
    const viaApp = (id: string) => requestDeletion({ customer: { id }, source: "api", actor: ACTOR }, app!);
    const viaRaw = (id: string) => rawDeletion(raw, id, secret);
    const times = { app: [] as number[], raw: [] as number[] };
    for (let i = 0; i < opts.samples + WARMUP; i++) {
      const [a, r] = [ids[2 * i]!, ids[2 * i + 1]!];
      // Alternate which goes first, so neither always follows the other's writes (or its checkpoint).
      const order = i % 2 === 0 ? (["app", "raw"] as const) : (["raw", "app"] as const);
      for (const side of order) {
        const elapsed = await timedMs(() => (side === "app" ? viaApp(a) : viaRaw(r)));
        if (i >= WARMUP) times[side].push(elapsed);
      }
    }
    const loadEnd = load();

    // Both sides wrote the same thing: every customer erased, one request and one delete signal per integration each.
    const check = (
      await raw.query<{ erased: string; requests: string; signals: string; left: string; queued: string }>(
        `SELECT (SELECT count(*) FROM customers WHERE id = ANY($1::uuid[]) AND erased_at IS NOT NULL AND email IS NULL) AS erased,
           (SELECT count(*) FROM deletion_requests WHERE customer_id = ANY($1::uuid[]) AND status = 'erased') AS requests,
           (SELECT count(*) FROM integration_signals WHERE customer_id = ANY($1::uuid[]) AND kind = 'delete') AS signals,
           (SELECT count(*) FROM audience_memberships WHERE customer_id = ANY($1::uuid[])) AS left,
           (SELECT count(*) FROM integration_signals WHERE customer_id = ANY($1::uuid[]) AND kind = 'consent_change' AND status <> 'delivered') AS queued`,
        [ids],
      )
    ).rows[0]!;
    const expected = { erased: total, requests: total, signals: total * opts.integrations, left: 0, queued: 0 };
    const actual = Object.fromEntries(Object.entries(check).map(([k, v]) => [k, Number(v)]));
    if (JSON.stringify(actual) !== JSON.stringify(expected))
      throw new Error(`the deletions did not write what they should: ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);

    const appS = summarize(times.app);
    const rawS = summarize(times.raw);
    const row = (label: string, s: Summary, target: string) => [label, String(s.n), ms(s.p50), ms(s.p95), ms(s.mean), ms(s.max), target];
    console.log(
      formatTable(
        ["one deletion (one transaction)", "n", "p50 ms", "p95 ms", "mean ms", "max ms", "target"],
        [
          row("requestDeletion (lib/deletions/erase.ts)", appS, `p95 <= ${TARGET.p95Ms} ms`),
          row("raw SQL, the same statements by hand", rawS, ""),
          ["app / raw", "", ratio(appS.p50 / rawS.p50), ratio(appS.p95 / rawS.p95), ratio(appS.mean / rawS.mean), "", ""],
        ],
      ),
    );
    console.log(`\n  load:      ${loadEnd} (1/5/15 min) at end of the timed runs`);
    if ((os.loadavg()[0] ?? 0) > cpus.length * 0.5)
      console.log(`  WARNING:   the machine was busy (load ${os.loadavg()[0]!.toFixed(2)} on ${cpus.length} CPUs): expect noisy figures`);
    console.log(appS.p95 > TARGET.p95Ms ? `  MISSED:    p95 ${ms(appS.p95)} ms > ${TARGET.p95Ms} ms` : "  target:    met");
    if (opts.json) {
      await writeFile(
        opts.json,
        JSON.stringify(
          { at: new Date().toISOString(), options: opts, rows: counts, loadEnd: os.loadavg(), app: appS, raw: rawS, target: TARGET },
          null,
          2,
        ),
      );
    }
  } finally {
    await raw.end().catch(() => {});
    if (app) {
      await app.prisma.$disconnect();
      await app.driver.close().catch(() => {});
    }
    await scratch.drop();
  }
}

runBench(main, async () => {});
