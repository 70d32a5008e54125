import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient, type Prisma } from "../generated/prisma/client.ts";
import { resolveDatabaseConfig, type DatabaseConfig } from "./config.ts";
import { openDriver, type OpenDriver } from "./driver.ts";
import { migrate } from "./migrate.ts";

/**
 * What a domain function takes as its optional last argument: the client, or
 * the one inside `$transaction(async (tx) => ...)` to run in the caller's transaction.
 */
export type Db = PrismaClient | Prisma.TransactionClient;

export interface Database {
  config: DatabaseConfig;
  /** The raw driver under Prisma: the same PGlite instance or pg pool. */
  driver: OpenDriver;
  prisma: PrismaClient;
}

/** Builds Prisma over the driver: one connection source for both. */
export function createDatabase(config: DatabaseConfig, options: { poolSize?: number } = {}): Database {
  const driver = openDriver(config, options);
  const adapter = driver.kind === "pglite" ? new PrismaPGlite(driver.pglite) : new PrismaPg(driver.pool);
  // "minimal": Prisma's default error message quotes the call with its arguments (customers' data) into the logs.
  return { config, driver, prisma: new PrismaClient({ adapter, errorFormat: "minimal" }) };
}

// One database per process, shared by every bundle Next.js builds (route
// handlers, server components, instrumentation) and kept across dev reloads.
// PGlite in particular may be opened by only one instance per folder.
const globalForDb = globalThis as unknown as { __consentDesk?: { database: Database; ready: Promise<void> } };

function instance() {
  if (!globalForDb.__consentDesk) {
    const database = createDatabase(resolveDatabaseConfig(), { poolSize: Number(process.env.DATABASE_POOL_SIZE) || 10 });
    // Migrations run once per process before the first query (also on app start, see instrumentation.ts).
    const ready = process.env.SKIP_MIGRATIONS === "1" ? Promise.resolve() : migrate(database.driver).then(() => undefined);
    globalForDb.__consentDesk = { database, ready };
  }
  return globalForDb.__consentDesk;
}

/**
 * The process's database, opened lazily on first use (never at import, so
 * `next build` never touches it) and migrated before it is handed out.
 */
export async function getDatabase(): Promise<Database> {
  const { database, ready } = instance();
  await ready;
  return database;
}

export async function getPrisma(): Promise<PrismaClient> {
  return (await getDatabase()).prisma;
}

/** Makes `database` the process's database (tests use a fresh one per file). */
export function setDatabase(database: Database): void {
  globalForDb.__consentDesk = { database, ready: Promise.resolve() };
}

export async function closeDatabase(): Promise<void> {
  const current = globalForDb.__consentDesk;
  if (!current) return;
  globalForDb.__consentDesk = undefined;
  await current.database.prisma.$disconnect();
  await current.database.driver.close().catch(() => {});
}
