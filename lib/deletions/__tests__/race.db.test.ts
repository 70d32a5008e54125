import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changeConsent } from "../../consent/change.ts";
import { createDatabase, type Database } from "../../db/client.ts";
import { insertIntegration } from "../../integrations/__tests__/fixtures.ts";
import { audienceSizesPerDay, eventsPerTypePerDay, pointsAndRewardsPerDay } from "../../reporting/totals.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../../testing/test-database.ts";
import { waitFor } from "../../testing/webhook-receiver.ts";
import { requestDeletion, type RequestDeletionResult } from "../erase.ts";
import { CustomerErasedError } from "../errors.ts";
import { identifierHash } from "../tombstone.ts";
import { insertRichCustomer, officer, type RichCustomer } from "./fixtures.ts";

// A deletion racing a consent change, and two deletions of one customer at
// once, as real concurrent transactions on separate connections. Nothing
// here waits on a timer: one side is held at a lock on purpose (a third
// connection holds the audit chain's advisory lock that the held side's
// last statement needs, or the customer row), the other side is started and
// seen, in pg_stat_activity, to be waiting on the first, then the hold is
// released. PGlite is one connection in one process: nothing runs at once there.

const onServer = testDatabaseKind() === "postgres";

let db: TestDatabase;
/** Separate pools, each named in pg_stat_activity, so a test can see which side is waiting on what. */
let left: Database;
let right: Database;
const vendors: string[] = [];

const named = (name: string): Database => {
  const url = new URL(db.config.kind === "postgres" ? db.config.url : "");
  url.searchParams.set("application_name", name);
  return createDatabase({ kind: "postgres", url: url.toString() }, { poolSize: 2 });
};

beforeAll(async () => {
  if (!onServer) return;
  db = await createTestDatabase({ install: true });
  left = named("cd_race_left");
  right = named("cd_race_right");
  for (const name of ["Braze", "Meta"]) {
    const id = await insertIntegration(db, { name });
    const [row] = await db.driver.query<{ vendor: string }>(`SELECT vendor FROM integrations WHERE id = $1`, [id]);
    vendors.push(row!.vendor);
  }
});
afterAll(async () => {
  for (const side of [left, right]) {
    await side?.prisma.$disconnect();
    await side?.driver.close().catch(() => {});
  }
  await db?.dispose();
});

/** A transaction on its own connection holding a lock until `release`. */
async function hold(lockSql: string, params: unknown[]): Promise<{ release: () => Promise<void> }> {
  if (db.config.kind !== "postgres") throw new Error("PostgreSQL only");
  const client = new pg.Client({ connectionString: db.config.url });
  await client.connect();
  await client.query("BEGIN");
  await client.query(lockSql, params);
  return {
    release: async () => {
      await client.query("COMMIT");
      await client.end();
    },
  };
}

/** Holds the audit chain lock a customer's entries take (the chain formula of migration 20261130000000): the last statement of whoever writes one waits. */
const holdAuditChain = (customerId: string) =>
  hold(`SELECT pg_advisory_xact_lock(72707400, abs(hashtext('customer:' || $1::text)) % 8)`, [customerId]);

/** A promise watched, so a wait on its side's lock fails at once with its error if it settled instead. */
function started<T>(promise: Promise<T>) {
  const state: { settled: boolean; error?: unknown } = { settled: false };
  promise.then(
    () => (state.settled = true),
    (error: unknown) => Object.assign(state, { settled: true, error }),
  );
  return { promise, state };
}

/** Waits until the pool named `side` has a backend waiting on a heavyweight lock of the given kind. */
async function waiting(
  side: "cd_race_left" | "cd_race_right",
  on: "advisory" | "row",
  watched: { state: { settled: boolean; error?: unknown } },
) {
  await waitFor(
    async () => {
      if (watched.state.settled) throw new Error(`${side} finished instead of waiting (${String(watched.state.error ?? "no error")})`);
      const rows = await db.driver.query<{ wait_event: string }>(
        `SELECT wait_event FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND wait_event_type = 'Lock'`,
        [side],
      );
      return rows.some((r) =>
        on === "advisory" ? r.wait_event === "advisory" : r.wait_event === "transactionid" || r.wait_event === "tuple",
      );
    },
    { what: `${side} to wait on a ${on} lock` },
  );
}

const allow = (value: boolean) => ({ vendors: Object.fromEntries(vendors.map((v) => [v, value])) });

/** A rich customer whose consent blocks both vendors, with that change's signals: one delivered, one pending. */
async function customerWithHistory(): Promise<RichCustomer & { deliveredSignal: string }> {
  const c = await insertRichCustomer(db, { memberships: 2, events: 6 });
  const first = await changeConsent({ customer: { id: c.id }, patch: allow(true), source: "dashboard", actor: officer });
  const second = await changeConsent({ customer: { id: c.id }, patch: allow(false), source: "dashboard", actor: officer });
  expect(second.effects.signals).toHaveLength(2);
  const signals = [...first.effects.signals, ...second.effects.signals];
  await db.driver.query(
    `UPDATE integration_signals SET status = 'delivered', attempts = 1, delivered_at = now() WHERE id = ANY($1::uuid[])`,
    [signals.slice(0, -1).map((s) => s.id)],
  );
  return { ...c, deliveredSignal: signals[0]!.id };
}

const count = async (sql: string, params: unknown[]) => Number((await db.driver.query<{ n: string }>(sql, params))[0]!.n);
const consentChanges = (customerId: string) => count(`SELECT count(*) AS n FROM consent_changes WHERE customer_id = $1`, [customerId]);
const consentSignals = (customerId: string, where = "true", params: unknown[] = []) =>
  count(`SELECT count(*) AS n FROM integration_signals WHERE customer_id = $1 AND kind = 'consent_change' AND ${where}`, [
    customerId,
    ...params,
  ]);
const deleteSignals = (customerId: string) =>
  count(`SELECT count(*) AS n FROM integration_signals WHERE customer_id = $1 AND kind = 'delete'`, [customerId]);
const audits = (action: string, customerId: string) =>
  count(`SELECT count(*) AS n FROM audit_entries WHERE action = $1 AND (target_id = $2 OR summary ->> 'customer_id' = $2)`, [
    action,
    customerId,
  ]);
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const totals = async () => ({
  points: await pointsAndRewardsPerDay(db.driver),
  events: await eventsPerTypePerDay(db.driver),
  audiences: await audienceSizesPerDay(db.driver, day(-12), day(-1)),
});

/** What must hold of every erased customer: the row is an erased shell, one request, one tombstone, one delete signal per integration. */
async function expectErasedOnce(c: RichCustomer, requestId: string) {
  const [row] = await db.driver.query<{ external_id: string | null; email: string | null; erased_at: Date | null }>(
    `SELECT external_id, email, erased_at FROM customers WHERE id = $1`,
    [c.id],
  );
  expect(row).toMatchObject({ external_id: null, email: null, erased_at: expect.any(Date) });
  expect(await count(`SELECT count(*) AS n FROM deletion_requests WHERE customer_id = $1`, [c.id])).toBe(1);
  expect(await count(`SELECT count(*) AS n FROM customer_tombstones WHERE customer_id = $1 AND request_id = $2`, [c.id, requestId])).toBe(
    1,
  );
  expect(await deleteSignals(c.id)).toBe(vendors.length);
  expect(await count(`SELECT count(*) AS n FROM integration_signals WHERE deletion_request_id = $1`, [requestId])).toBe(vendors.length);
  expect(await audits("customer.delete", c.id)).toBe(1);
  // Whatever the order, no signal about a consent change is left to go out after the erasure.
  expect(await consentSignals(c.id, "status <> 'delivered'")).toBe(0);
  expect(await consentSignals(c.id, "payload ->> 'customer_id' IS DISTINCT FROM $2", [identifierHash("external_id", c.externalId)])).toBe(
    0,
  );
}

describe.runIf(onServer)("a deletion racing a consent change (PostgreSQL)", () => {
  it("erasure first: the consent change that waited for it is refused, and writes no history, no signal and no audit entry", async () => {
    const c = await customerWithHistory();
    const before = {
      changes: await consentChanges(c.id),
      signals: await consentSignals(c.id),
      audits: await audits("consent.change", c.id),
    };
    const sums = await totals();

    // The erasure runs every statement and then waits at its audit entry, the customer row locked FOR UPDATE.
    const chain = await holdAuditChain(c.id);
    const erasure = started(requestDeletion({ customer: { id: c.id }, source: "dashboard", actor: officer }, left));
    await waiting("cd_race_left", "advisory", erasure);
    // The consent change read the customer before the erasure committed (not erased yet) and now waits on its row.
    const change = started(changeConsent({ customer: { id: c.id }, patch: allow(true), source: "api", actor: officer }, right));
    await waiting("cd_race_right", "row", change);
    await chain.release();

    const erased = await erasure.promise;
    expect(erased.created).toBe(true);
    await expect(change.promise).rejects.toThrow(CustomerErasedError);

    expect(await consentChanges(c.id)).toBe(before.changes);
    expect(await audits("consent.change", c.id)).toBe(before.audits);
    // The undelivered one of the earlier change was dropped; the delivered one stays, under the hash; none is new.
    expect(before.signals).toBe(4);
    expect(await consentSignals(c.id)).toBe(3);
    expect(await consentSignals(c.id, "payload ->> 'customer_id' = $2", [identifierHash("external_id", c.externalId)])).toBe(3);
    const [version] = await db.driver.query<{ version: number }>(`SELECT version FROM customer_consents WHERE customer_id = $1`, [c.id]);
    expect(version!.version).toBe(4);
    await expectErasedOnce(c, erased.request.id);
    expect(await totals()).toEqual(sums);
  });

  it("consent change first: it commits, then the erasure drops its undelivered signals and scrubs its history entry", async () => {
    const c = await customerWithHistory();
    const sums = await totals();

    // The consent change writes everything under the customer row's lock and waits at its audit entry.
    const chain = await holdAuditChain(c.id);
    const change = started(
      changeConsent({ customer: { id: c.id }, patch: allow(true), source: "api", actor: officer, reason: `Asked by ${c.email}` }, right),
    );
    await waiting("cd_race_right", "advisory", change);
    const erasure = started(requestDeletion({ customer: { id: c.id }, source: "dashboard", actor: officer }, left));
    await waiting("cd_race_left", "row", erasure);
    await chain.release();

    const changed = await change.promise;
    expect(changed.change).not.toBeNull();
    expect(changed.effects.signals).toHaveLength(2);
    const erased = await erasure.promise;
    expect(erased.created).toBe(true);

    // The change's history entry stayed, without its reason; its two signals never go out: the delete signal supersedes them.
    const [entry] = await db.driver.query<{ reason: string | null; consent_string: string | null }>(
      `SELECT reason, consent_string FROM consent_changes WHERE id = $1`,
      [changed.change!.id],
    );
    expect(entry).toEqual({ reason: null, consent_string: null });
    expect(
      await count(`SELECT count(*) AS n FROM integration_signals WHERE id = ANY($1::uuid[])`, [changed.effects.signals.map((s) => s.id)]),
    ).toBe(0);
    const [summary] = await db.driver.query<{ summary: { signals_dropped: number; consent_changes: number } }>(
      `SELECT summary FROM deletion_requests WHERE id = $1`,
      [erased.request.id],
    );
    expect(summary!.summary.signals_dropped).toBe(3);
    expect(await consentSignals(c.id)).toBe(3);
    await expectErasedOnce(c, erased.request.id);
    // And nothing comes after: a later change is refused.
    await expect(changeConsent({ customer: { id: c.id }, patch: allow(false), source: "api", actor: officer })).rejects.toThrow(
      CustomerErasedError,
    );
    await expectErasedOnce(c, erased.request.id);
    expect(await totals()).toEqual(sums);
  });
});

describe.runIf(onServer)("two deletions of one customer at once (PostgreSQL)", () => {
  const race = async (firstKey: "id" | "externalId", secondKey: "id" | "externalId") => {
    const c = await customerWithHistory();
    const key = (k: "id" | "externalId") => (k === "id" ? { id: c.id } : { externalId: c.externalId });
    const chain = await holdAuditChain(c.id);
    const first = started(requestDeletion({ customer: key(firstKey), source: "api", actor: officer }, left));
    await waiting("cd_race_left", "advisory", first);
    const second = started(requestDeletion({ customer: key(secondKey), source: "dashboard", actor: officer }, right));
    await waiting("cd_race_right", "row", second);
    await chain.release();
    const results: RequestDeletionResult[] = [await first.promise, await second.promise];
    return { c, results };
  };

  for (const [firstKey, secondKey] of [
    ["id", "id"],
    ["externalId", "id"],
    // The waiting lookup by external id finds the row no longer has it: the tombstone answers.
    ["id", "externalId"],
  ] as const) {
    it(`by ${firstKey} then by ${secondKey}: one request, one tombstone, one set of delete signals`, async () => {
      const { c, results } = await race(firstKey, secondKey);
      expect(results.map((r) => r.created)).toEqual([true, false]);
      expect(results[1]!.request).toEqual(results[0]!.request);
      await expectErasedOnce(c, results[0]!.request.id);
      expect(await audits("deletion.request", c.id)).toBe(1);
    });
  }

  it("asked again afterwards, changes nothing at all and keeps the totals", async () => {
    const c = await customerWithHistory();
    const sums = await totals();
    const first = await requestDeletion({ customer: { id: c.id }, source: "dashboard", actor: officer });
    expect(await totals()).toEqual(sums);
    const tables = await db.driver.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
    );
    const everything = async () =>
      Promise.all(
        tables.map(async (t) => [
          t.table_name,
          await db.driver.query(`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM "${t.table_name}" x`),
        ]),
      );
    const snapshot = await everything();
    for (const customer of [{ id: c.id }, { externalId: c.externalId }]) {
      const again = await requestDeletion({ customer, source: "api", actor: officer });
      expect(again).toEqual({ request: first.request, created: false });
    }
    expect(await everything()).toEqual(snapshot);
    expect(await totals()).toEqual(sums);
  });
});

describe.skipIf(onServer)("races on PGlite", () => {
  it.skip("need concurrent connections, which the embedded PGlite (one connection in one process) has not: run with DATABASE_URL", () => {});
});
