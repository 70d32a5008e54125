import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { retrySignal } from "../../delivery/retry.ts";
import { insertIntegration } from "../../integrations/__tests__/fixtures.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../../testing/test-database.ts";
import { waitFor } from "../../testing/webhook-receiver.ts";
import { requestDeletion } from "../erase.ts";
import { deletionStatus, type DeletionStatus } from "../status.ts";
import { identifierHash } from "../tombstone.ts";
import { officer } from "./fixtures.ts";

// The trigger deletion_request_progress (migration 20261204000000) against
// the pure rule deletionStatus() (status.ts): for every combination of
// delete-signal states over one, two and three integrations, moved there
// the way the worker moves them (a claim adds an attempt, a finish sets the
// status), the request's status after every single update is the rule's;
// completion scrubs the external id from the signals' payloads to the
// tombstone's hash, and nothing earlier does.

const STATES = ["never_tried", "claimed", "retrying", "delivered", "failed"] as const;
type State = (typeof STATES)[number];

let db: TestDatabase;
const integrations: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
});
afterAll(async () => db?.dispose());

/** Every combination of `n` states (a multiset: which integration has which state does not matter to the rule), in STATES order. */
function combinations(n: number, from = 0): State[][] {
  if (n === 0) return [[]];
  return STATES.slice(from).flatMap((s, i) => combinations(n - 1, from + i).map((rest) => [s, ...rest]));
}

type Signal = { id: string; status: "pending" | "retrying" | "delivered" | "failed"; attempts: number };

/** The rule, on the signals as this test has moved them. */
function expected(signals: readonly Signal[]): DeletionStatus {
  return deletionStatus(true, {
    total: signals.length,
    delivered: signals.filter((s) => s.status === "delivered").length,
    failed: signals.filter((s) => s.status === "failed").length,
    attempted: signals.filter((s) => s.attempts > 0 || s.status !== "pending").length,
  });
}

async function erasedCustomer(): Promise<{ id: string; externalId: string; requestId: string; signals: Signal[] }> {
  const id = randomUUID();
  const externalId = `ext-${id.slice(0, 8)}`;
  await db.driver.query(`INSERT INTO customers (id, external_id, email, phone) VALUES ($1, $2, $3, '+15550100')`, [
    id,
    externalId,
    `${externalId}@example.com`,
  ]);
  const { request } = await requestDeletion({ customer: { id }, source: "api", actor: officer });
  const rows = await db.driver.query<{ id: string }>(`SELECT id FROM integration_signals WHERE deletion_request_id = $1 ORDER BY id`, [
    request.id,
  ]);
  return { id, externalId, requestId: request.id, signals: rows.map((r) => ({ id: r.id, status: "pending", attempts: 0 })) };
}

async function requestRow(requestId: string) {
  const [row] = await db.driver.query<{ status: DeletionStatus; completed_at: Date | null }>(
    `SELECT status, completed_at FROM deletion_requests WHERE id = $1`,
    [requestId],
  );
  return row!;
}

async function payloadIds(requestId: string): Promise<string[]> {
  const rows = await db.driver.query<{ customer_id: string }>(
    `SELECT payload ->> 'customer_id' AS customer_id FROM integration_signals WHERE deletion_request_id = $1 ORDER BY id`,
    [requestId],
  );
  return rows.map((r) => r.customer_id);
}

// The worker's writes, reduced to what the trigger watches: a claim (attempts + 1, a lease) and a finish (status, lease ended).
const claim = (id: string) =>
  db.driver.query(
    `UPDATE integration_signals SET attempts = attempts + 1, lease_until = now() + interval '1 minute', leased_by = 'test' WHERE id = $1`,
    [id],
  );
const finish = (id: string, status: Signal["status"]) =>
  db.driver.query(
    `UPDATE integration_signals SET status = $2::signal_status, lease_until = NULL, leased_by = NULL,
       delivered_at = CASE WHEN $2 = 'delivered' THEN now() END, failed_at = CASE WHEN $2 = 'failed' THEN now() END
     WHERE id = $1`,
    [id, status],
  );

describe("a deletion request's status", () => {
  for (const n of [1, 2, 3]) {
    it(`follows the rule for every combination of ${n} integration(s)' delete signals, after every update`, async () => {
      while (integrations.length < n) integrations.push(await insertIntegration(db, { name: `Tool ${integrations.length + 1}` }));
      let checked = 0;
      // Each combination reached in both orders: the signals that end delivered first, and last.
      for (const combination of combinations(n).flatMap((c) => [c, [...c].reverse()])) {
        const c = await erasedCustomer();
        expect(c.signals).toHaveLength(n);
        const label = combination.join(", ");
        const check = async () => {
          const row = await requestRow(c.requestId);
          const want = expected(c.signals);
          expect(row.status, `${label} at ${JSON.stringify(c.signals.map((s) => [s.status, s.attempts]))}`).toBe(want);
          expect(row.completed_at !== null, `completed_at for ${label}`).toBe(want === "completed");
          const hash = identifierHash("external_id", c.externalId);
          expect(await payloadIds(c.requestId), `payloads for ${label}`).toEqual(
            c.signals.map(() => (want === "completed" ? hash : c.externalId)),
          );
          checked++;
        };
        await check();
        for (const [i, state] of combination.entries()) {
          const s = c.signals[i]!;
          if (state === "never_tried") continue;
          await claim(s.id);
          s.attempts += 1;
          await check();
          if (state === "claimed") continue;
          // A failure is reached through a retry first, as the schedule does.
          await finish(s.id, "retrying");
          s.status = "retrying";
          await check();
          if (state === "retrying") continue;
          if (state === "failed") await claim(s.id).then(() => (s.attempts += 1));
          await finish(s.id, state);
          s.status = state;
          await check();
        }
      }
      expect(combinations(n)).toHaveLength([5, 15, 35][n - 1]!);
      expect(checked).toBeGreaterThan(combinations(n).length);
    }, 180_000);
  }

  it("stays received while the request is not erased, whatever its signals do", async () => {
    if (integrations.length === 0) integrations.push(await insertIntegration(db, { name: "Tool 1" }));
    const [request] = await db.driver.query<{ id: string }>(
      `INSERT INTO deletion_requests (source, regime, requested_by_type, requested_by_label, due_at)
       VALUES ('bulk', 'gdpr', 'user', 'officer@example.com', now() + interval '30 days') RETURNING id`,
    );
    const [signal] = await db.driver.query<{ id: string }>(
      `INSERT INTO integration_signals (integration_id, kind, deletion_request_id, payload) VALUES ($1, 'delete', $2, '{"customer_id":"x"}') RETURNING id`,
      [integrations[0], request!.id],
    );
    await claim(signal!.id);
    await finish(signal!.id, "delivered");
    expect((await requestRow(request!.id)).status).toBe(deletionStatus(false, { total: 1, delivered: 1, failed: 0, attempted: 1 }));
    expect((await requestRow(request!.id)).status).toBe("received");
  });

  it("moves back to notifying when a failed delete signal is retried by hand, and completes once it is delivered", async () => {
    while (integrations.length < 3) integrations.push(await insertIntegration(db, { name: `Tool ${integrations.length + 1}` }));
    const c = await erasedCustomer();
    const [first, second, third] = c.signals;
    await claim(first!.id);
    await finish(first!.id, "delivered");
    await claim(second!.id);
    await finish(second!.id, "failed");
    await claim(third!.id);
    await finish(third!.id, "failed");
    expect((await requestRow(c.requestId)).status).toBe("failed");

    await retrySignal(officer, second!.id, db.prisma);
    // One still failed: the request still is.
    expect((await requestRow(c.requestId)).status).toBe("failed");
    expect((await retrySignal(officer, third!.id, db.prisma)).ids).toEqual([third!.id]);
    expect(await requestRow(c.requestId)).toMatchObject({ status: "notifying", completed_at: null });
    expect(await payloadIds(c.requestId)).toEqual([c.externalId, c.externalId, c.externalId]);

    for (const s of [second!, third!]) {
      await claim(s.id);
      await finish(s.id, "delivered");
    }
    const done = await requestRow(c.requestId);
    expect(done.status).toBe("completed");
    expect(done.completed_at).toBeInstanceOf(Date);
    const hash = identifierHash("external_id", c.externalId);
    expect(await payloadIds(c.requestId)).toEqual([hash, hash, hash]);
  });
});

describe.runIf(testDatabaseKind() === "postgres")("two workers finishing a request's last signals at once (PostgreSQL)", () => {
  it("completes it: the second waits on the request row and counts the first's delivery", async () => {
    while (integrations.length < 3) integrations.push(await insertIntegration(db, { name: `Tool ${integrations.length + 1}` }));
    const c = await erasedCustomer();
    const [one, two, three] = c.signals;
    await claim(one!.id);
    await finish(one!.id, "delivered");
    const url = db.config.kind === "postgres" ? db.config.url : "";
    const [first, second] = [new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url })];
    await Promise.all([first.connect(), second.connect()]);
    try {
      const deliver = (client: pg.Client, id: string) =>
        client.query(`UPDATE integration_signals SET status = 'delivered', attempts = attempts + 1, delivered_at = now() WHERE id = $1`, [
          id,
        ]);
      await first.query("BEGIN");
      await deliver(first, two!.id);
      await second.query("BEGIN");
      const secondPid = (await second.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`)).rows[0]!.pid;
      const secondDelivery = deliver(second, three!.id);
      await waitFor(
        async () =>
          (await db.driver.query(`SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'`, [secondPid])).length > 0,
        { what: "the second finish to wait on the request row" },
      );
      await first.query("COMMIT");
      await secondDelivery;
      await second.query("COMMIT");
    } finally {
      await Promise.all([first.end(), second.end()]);
    }
    expect(await requestRow(c.requestId)).toMatchObject({ status: "completed", completed_at: expect.any(Date) });
    const hash = identifierHash("external_id", c.externalId);
    expect(await payloadIds(c.requestId)).toEqual([hash, hash, hash]);
  });
});
