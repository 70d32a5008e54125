import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type Database } from "../../db/client.ts";
import { requestDeletion } from "../../deletions/erase.ts";
import { insertRichCustomer, officer } from "../../deletions/__tests__/fixtures.ts";
import { scanFor } from "../../testing/pii-scan.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../../testing/test-database.ts";
import { waitFor } from "../../testing/webhook-receiver.ts";
import type { EventInput } from "../../validations/events.ts";
import { ingestEvents, UnknownCustomersError } from "../ingest.ts";

// A batch of events that read its customer just before an erasure committed
// must not land on the erased shell with its event id and attributes: it
// waits for the erasure and is refused as erased (the API answers 410). The
// erasure is held at its last statement (a third connection holds the audit
// chain lock it needs) while the batch is seen waiting on the customer row.

const onServer = testDatabaseKind() === "postgres";
let db: TestDatabase;
let events: Database;

beforeAll(async () => {
  if (!onServer) return;
  db = await createTestDatabase({ install: true });
  const url = new URL(db.config.kind === "postgres" ? db.config.url : "");
  url.searchParams.set("application_name", "cd_race_events");
  events = createDatabase({ kind: "postgres", url: url.toString() }, { poolSize: 2 });
});
afterAll(async () => {
  await events?.prisma.$disconnect();
  await events?.driver.close().catch(() => {});
  await db?.dispose();
});

describe.runIf(onServer)("events racing an erasure (PostgreSQL)", () => {
  it("a batch that waited for the erasure is refused as erased and stores nothing", async () => {
    const c = await insertRichCustomer(db, { memberships: 1, events: 1 });
    const holder = new pg.Client({ connectionString: db.config.kind === "postgres" ? db.config.url : "" });
    await holder.connect();
    await holder.query("BEGIN");
    await holder.query(`SELECT pg_advisory_xact_lock(72707400, abs(hashtext('customer:' || $1::text)) % 8)`, [c.id]);
    const erasure = requestDeletion({ customer: { id: c.id }, source: "dashboard", actor: officer });
    await waitFor(
      async () =>
        (await db.driver.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'advisory'`)).length > 0,
      { what: "the erasure to wait at its audit entry" },
    );
    const event: EventInput = {
      customer_id: c.externalId,
      type: "visit",
      event_id: "late-1",
      amount: null,
      occurred_at: new Date(),
      attributes: { note: c.email },
    };
    const batch = ingestEvents([event], events).then(
      () => null,
      (error: unknown) => error,
    );
    await waitFor(
      async () =>
        (
          await db.driver.query(
            `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'cd_race_events' AND wait_event_type = 'Lock'`,
          )
        ).length > 0,
      { what: "the batch to wait on the customer row" },
    );
    await holder.query("COMMIT");
    await holder.end();
    await erasure;

    const error = await batch;
    expect(error).toBeInstanceOf(UnknownCustomersError);
    expect(error).toMatchObject({ indexes: [0], erased: [0] });
    expect(await db.driver.query(`SELECT id FROM loyalty_events WHERE customer_id = $1 AND event_id IS NOT NULL`, [c.id])).toEqual([]);
    // Nothing of the person but the delete signals' external id (no integrations here: none at all).
    expect(await scanFor(db.driver, c.needles)).toEqual([]);
  });
});
