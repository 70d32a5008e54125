import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { SCHEMA_FILE, schemaDrift } from "../drift.ts";

let db: TestDatabase;
let schema: string;

beforeAll(async () => {
  db = await createTestDatabase();
  schema = await readFile(SCHEMA_FILE, "utf8");
});

afterAll(async () => {
  await db.dispose();
});

class Rollback extends Error {}

/** The drift after `sql`, measured inside a transaction that is then rolled back, so every case starts from the migrated database. */
async function driftAfter(sql: string, options: { schema?: string } = {}): Promise<string[]> {
  let differences: string[] = [];
  await db.driver
    .transaction(async (tx) => {
      await tx.exec(sql);
      differences = await schemaDrift(tx, options);
      throw new Rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error;
    });
  return differences;
}

describe("prisma/schema.prisma against the migrated database", () => {
  it("has no drift", async () => {
    // On failure vitest prints each difference as one line of the array.
    expect(await schemaDrift(db.driver)).toEqual([]);
  });
});

// Proves the check can fail: each case changes the migrated database (or the
// schema) in one way and expects exactly the lines that name the change.
describe("schemaDrift reports", () => {
  it("a column whose nullability changed", async () => {
    expect(await driftAfter("ALTER TABLE customers ALTER COLUMN email SET NOT NULL")).toEqual([
      "column customers.email: the schema has text NULL, the database has text NOT NULL",
    ]);
  });

  it("a column whose type changed", async () => {
    expect(await driftAfter("ALTER TABLE loyalty_events ALTER COLUMN amount TYPE numeric(14,2)")).toEqual([
      "column loyalty_events.amount: the schema has numeric(12,2) NULL, the database has numeric(14,2) NULL",
    ]);
  });

  it("a column the schema does not have", async () => {
    expect(await driftAfter("ALTER TABLE customers ADD COLUMN nickname text")).toEqual([
      "column customers.nickname: in the database (text NULL), not in the schema",
    ]);
  });

  it("a dropped index", async () => {
    expect(await driftAfter("DROP INDEX customers_phone_idx")).toEqual([
      "index customers_phone_idx: in the schema (INDEX ON customers USING btree (phone, id)), missing from the database",
    ]);
  });

  it("an index whose sort order, operator class, method or uniqueness changed", async () => {
    const differences = await driftAfter(`
      DROP INDEX customers_created_at_id_idx;
      CREATE INDEX customers_created_at_id_idx ON customers (created_at, id DESC);
      DROP INDEX customers_email_idx;
      CREATE INDEX customers_email_idx ON customers (email text_pattern_ops, id);
      DROP INDEX customer_consents_vendors_idx;
      CREATE INDEX customer_consents_vendors_idx ON customer_consents USING gin (vendors);
      DROP INDEX audiences_name_key;
      CREATE INDEX audiences_name_key ON audiences (name);`);
    expect(differences).toEqual([
      "index customers_created_at_id_idx: the schema has INDEX ON customers USING btree (created_at DESC, id DESC), " +
        "the database has INDEX ON customers USING btree (created_at, id DESC)",
      "index customers_email_idx: the schema has INDEX ON customers USING btree (email, id), " +
        "the database has INDEX ON customers USING btree (email text_pattern_ops, id)",
      "index customer_consents_vendors_idx: the schema has INDEX ON customer_consents USING gin (vendors jsonb_path_ops), " +
        "the database has INDEX ON customer_consents USING gin (vendors)",
      "index audiences_name_key: the schema has UNIQUE INDEX ON audiences USING btree (name), " +
        "the database has INDEX ON audiences USING btree (name)",
    ]);
  });

  it("an index that is partial, on other columns, or not in the schema", async () => {
    const differences = await driftAfter(`
      DROP INDEX journey_enrolments_customer_id_idx;
      CREATE INDEX journey_enrolments_customer_id_idx ON journey_enrolments (customer_id) WHERE status = 'active';
      DROP INDEX loyalty_events_customer_id_occurred_at_idx;
      CREATE INDEX loyalty_events_customer_id_occurred_at_idx ON loyalty_events (occurred_at DESC, customer_id);
      CREATE INDEX customers_name_idx ON customers (name);`);
    expect(differences).toEqual([
      "index journey_enrolments_customer_id_idx: the schema has INDEX ON journey_enrolments USING btree (customer_id), " +
        "the database has INDEX ON journey_enrolments USING btree (customer_id) WHERE status = 'active'::enrolment_status",
      "index loyalty_events_customer_id_occurred_at_idx: the schema has INDEX ON loyalty_events USING btree (customer_id, occurred_at DESC), " +
        "the database has INDEX ON loyalty_events USING btree (occurred_at DESC, customer_id)",
      "index customers_name_idx: in the database (INDEX ON customers USING btree (name)), not in the schema",
    ]);
  });

  it("a table on one side only, once, with its indexes", async () => {
    const differences = await driftAfter("DROP TABLE integrations CASCADE; CREATE TABLE stray (id integer PRIMARY KEY)");
    expect(differences).toEqual([
      "table integrations: in the schema, missing from the database",
      "table stray: in the database, not in the schema",
      "index integrations_pkey: in the schema (PRIMARY KEY ON integrations USING btree (id)), missing from the database",
      "index integrations_vendor_key: in the schema (UNIQUE INDEX ON integrations USING btree (vendor)), missing from the database",
      "index stray_pkey: in the database (PRIMARY KEY ON stray USING btree (id)), not in the schema",
    ]);
  });

  it("enum values and enums that differ", async () => {
    const differences = await driftAfter("ALTER TYPE journey_status ADD VALUE 'deleted'; CREATE TYPE mood AS ENUM ('calm')");
    expect(differences).toEqual([
      "enum journey_status: the schema has draft, active, paused, archived, the database has draft, active, paused, archived, deleted",
      "enum mood: in the database (calm), not in the schema",
    ]);
  });

  it("a schema edited without a migration", async () => {
    const edited = schema
      .replace("  phone       String?\n", '  phone       String?\n  nickname    String? @map("nick_name")\n')
      .replace("enum EnrolmentStatus {\n  active\n", "enum EnrolmentStatus {\n  pending\n  active\n");
    expect(edited).not.toBe(schema);
    expect(await driftAfter("SELECT 1", { schema: edited })).toEqual([
      "column customers.nick_name: in the schema (text NULL), missing from the database",
      "enum enrolment_status: the schema has pending, active, completed, exited, the database has active, completed, exited",
    ]);
  });
});
