import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { MigrationChecksumError, checksum, migrate, readMigrations, type Migration } from "../migrate.ts";

// Synthetic migrations in Prisma's folder layout, applied to one unmigrated
// database whose public schema is emptied before each test (a new PGlite
// costs seconds; a dropped schema takes `_prisma_migrations` with it).
const A = "20250101000000_create_a";
const B = "20250102000000_create_b"; // references a: fails if applied before A
const C = "20250103000000_create_c";
const SQL: Record<string, string> = {
  [A]: `CREATE TABLE "a" ("id" INTEGER PRIMARY KEY);\n`,
  [B]: `CREATE TABLE "b" ("id" INTEGER PRIMARY KEY, "a_id" INTEGER NOT NULL REFERENCES "a"("id"));\nCREATE INDEX "b_a_id_idx" ON "b"("a_id");\n`,
  [C]: `CREATE TABLE "c" ("id" INTEGER PRIMARY KEY);\n`,
};

function migration(name: string, sql = SQL[name] ?? ""): Migration {
  return { name, sql, checksum: checksum(sql) };
}

interface Recorded {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
}

let db: TestDatabase;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase({ migrated: false });
  // Folders created out of name order (B, then C, then A) and the lock file Prisma keeps beside them.
  dir = await mkdtemp(path.join(tmpdir(), "cd-migrations-"));
  for (const name of [B, C, A]) {
    await mkdir(path.join(dir, name));
    await writeFile(path.join(dir, name, "migration.sql"), SQL[name] ?? "");
  }
  await writeFile(path.join(dir, "migration_lock.toml"), 'provider = "postgresql"\n');
});

afterAll(async () => {
  await db.dispose();
  await rm(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  await db.driver.exec("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
});

async function recorded(): Promise<Recorded[]> {
  return db.driver.query<Recorded>(`SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name`);
}

async function tableExists(name: string): Promise<boolean> {
  const [row] = await db.driver.query<{ found: string | null }>("SELECT to_regclass($1)::text AS found", [`public.${name}`]);
  return row?.found != null;
}

describe("migrate", () => {
  it("reads the migration folders in name order and applies them in that order", async () => {
    const migrations = await readMigrations(dir);
    expect(migrations.map((m) => m.name)).toEqual([A, B, C]);

    const result = await migrate(db.driver, migrations);

    expect(result).toEqual({ applied: [A, B, C], alreadyApplied: [] });
    expect(await tableExists("b")).toBe(true);
  });

  it("records each migration once, finished, with the SHA-256 of its file, and applies nothing on a second run", async () => {
    const migrations = await readMigrations(dir);
    await migrate(db.driver, migrations);

    const second = await migrate(db.driver, await readMigrations(dir));

    expect(second).toEqual({ applied: [], alreadyApplied: [A, B, C] });
    const rows = await recorded();
    expect(rows.map((r) => r.migration_name)).toEqual([A, B, C]);
    for (const row of rows) {
      // Hashed here independently of migrate.ts: this is the checksum `prisma migrate` compares.
      const file = await readFile(path.join(dir, row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(createHash("sha256").update(file).digest("hex"));
      expect(row.finished_at).toBeInstanceOf(Date);
    }
  });

  it("refuses an edited applied migration, naming it, and writes nothing new", async () => {
    await migrate(db.driver, [migration(A), migration(C)]);

    // B is new and sorts before the edited C, so it runs first inside the
    // transaction: it must be rolled back when C's checksum is refused.
    const edited = migration(C, `${SQL[C]}ALTER TABLE "c" ADD COLUMN "note" TEXT;\n`);
    const run = migrate(db.driver, [migration(A), migration(B), edited]);

    await expect(run).rejects.toBeInstanceOf(MigrationChecksumError);
    await expect(run).rejects.toMatchObject({ migration: C, message: expect.stringContaining(C) });
    expect(await tableExists("b")).toBe(false);
    expect((await recorded()).map((r) => r.migration_name)).toEqual([A, C]);
    const columns = await db.driver.query("SELECT 1 FROM information_schema.columns WHERE table_name = 'c' AND column_name = 'note'");
    expect(columns).toEqual([]);
  });

  it("rolls a failing migration back entirely: no partial tables, nothing recorded", async () => {
    await migrate(db.driver, [migration(A)]);
    const failing = migration(
      "20250104000000_broken",
      `CREATE TABLE "d" ("id" INTEGER PRIMARY KEY);\nCREATE TABLE "e" ("id" INTEGER REFERENCES "missing"("id"));\n`,
    );

    // B succeeds before the broken one in the same run; the whole run is one transaction.
    await expect(migrate(db.driver, [migration(A), migration(B), failing])).rejects.toThrow(/missing/);

    expect(await tableExists("b")).toBe(false);
    expect(await tableExists("d")).toBe(false);
    expect(await tableExists("e")).toBe(false);
    expect((await recorded()).map((r) => r.migration_name)).toEqual([A]);
  });

  it("leaves no trace when the very first run fails", async () => {
    const failing = migration("20250101000000_broken", `CREATE TABLE "d" ("id" INTEGER);\nSELECT 1 / 0;\n`);

    await expect(migrate(db.driver, [failing])).rejects.toThrow(/division by zero/);

    expect(await tableExists("d")).toBe(false);
    expect(await tableExists("_prisma_migrations")).toBe(false);
  });

  it("applies the real prisma/migrations cleanly to a new, empty database", async () => {
    const migrations = await readMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    // A database of its own, never touched, rather than the emptied shared one.
    const fresh = await createTestDatabase({ migrated: false });
    try {
      const result = await migrate(fresh.driver);

      expect(result).toEqual({ applied: migrations.map((m) => m.name), alreadyApplied: [] });
      const rows = await fresh.driver.query<Recorded>(`SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name`);
      expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(migrations.map((m) => [m.name, m.checksum]));
      // The generated client can work against what the migrations built.
      expect(await fresh.prisma.customer.count()).toBe(0);
      expect(await migrate(fresh.driver)).toEqual({ applied: [], alreadyApplied: migrations.map((m) => m.name) });
    } finally {
      await fresh.dispose();
    }
  });
});
