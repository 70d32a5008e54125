import { createDatabase, setDatabase, type Database } from "../db/client.ts";
import type { DatabaseConfig } from "../db/config.ts";
import { migrate } from "../db/migrate.ts";
import { createScratchDatabase } from "../db/scratch.ts";

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
    const scratch = await createScratchDatabase(serverUrl, "cd_test");
    config = { kind: "postgres", url: scratch.url };
    drop = scratch.drop;
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
