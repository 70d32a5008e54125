import { randomBytes } from "node:crypto";
import pg from "pg";
import { createDatabase, setDatabase, type Database } from "../db/client.ts";
import type { DatabaseConfig } from "../db/config.ts";
import { migrate } from "../db/migrate.ts";

export interface TestDatabase extends Database {
  /** Drops the database (PostgreSQL) or closes it (PGlite). */
  dispose(): Promise<void>;
}

/** The server tests run on: DATABASE_URL when set, otherwise embedded PGlite. */
export function testDatabaseKind(): DatabaseConfig["kind"] {
  return process.env.DATABASE_URL ? "postgres" : "pglite";
}

/**
 * A fresh, empty database for one test file: a new database on the
 * PostgreSQL server in DATABASE_URL, or an in-memory PGlite. Migrated unless
 * `migrated: false`; with `install: true` it also becomes the database the
 * domain modules (lib/customers, ...) use in this test file.
 */
export async function createTestDatabase(options: { migrated?: boolean; install?: boolean } = {}): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  let config: DatabaseConfig;
  let drop = async () => {};
  if (serverUrl) {
    const name = `cd_test_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    config = { kind: "postgres", url: url.toString() };
    drop = async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    };
  } else {
    config = { kind: "pglite", dataDir: undefined };
  }
  const database = createDatabase(config, { poolSize: 4 });
  if (options.migrated !== false) await migrate(database.driver);
  // Domain modules reach the database through getDatabase(); point it here.
  if (options.install) setDatabase(database);
  return {
    ...database,
    async dispose() {
      await database.prisma.$disconnect();
      await database.driver.close().catch(() => {});
      await drop();
    },
  };
}
