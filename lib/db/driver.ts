import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import type { DatabaseConfig } from "./config.ts";
import { isConnectionLost, scrubDatabaseError } from "./errors.ts";

/** The few raw operations the migrator, the seed and the benchmarks need. */
export interface SqlDriver {
  readonly kind: DatabaseConfig["kind"];
  /**
   * `options.name` makes it a named prepared statement on PostgreSQL: parsed
   * and planned once per connection, then only bound and run. For the hot
   * paths' fixed statements only; one name, one SQL text (PGlite ignores it).
   */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], options?: QueryOptions): Promise<T[]>;
  /** Runs a script of several statements with no parameters. */
  exec(sql: string): Promise<void>;
  /** Runs `fn` in one transaction on one connection. */
  transaction<R>(fn: (tx: Omit<SqlDriver, "transaction" | "close">) => Promise<R>): Promise<R>;
  close(): Promise<void>;
}

export interface QueryOptions {
  name?: string;
}

export type OpenDriver = (SqlDriver & { kind: "pglite"; pglite: PGlite }) | (SqlDriver & { kind: "postgres"; pool: pg.Pool });

// BIGINT and NUMERIC come back as strings, as node-postgres returns them, so
// callers see one shape on both databases. Set per query: Prisma's adapter
// shares the PGlite instance and brings its own parsers.
const AS_TEXT = { 20: (v: string) => v, 1700: (v: string) => v };

export function openDriver(config: DatabaseConfig, options: { poolSize?: number } = {}): OpenDriver {
  if (config.kind === "pglite") {
    if (config.dataDir) mkdirSync(config.dataDir, { recursive: true });
    const pglite = new PGlite(config.dataDir);
    const run = (db: Pick<PGlite, "query" | "exec">) => ({
      async query<T>(sql: string, params: unknown[] = []) {
        try {
          return (await db.query<T>(sql, params, { parsers: AS_TEXT })).rows;
        } catch (error) {
          throw scrubDatabaseError(error);
        }
      },
      async exec(sql: string) {
        await db.exec(sql).catch((error: unknown) => Promise.reject(scrubDatabaseError(error)));
      },
    });
    return {
      kind: "pglite",
      pglite,
      ...run(pglite),
      transaction: (fn) => pglite.transaction((tx) => fn({ kind: "pglite", ...run(tx) })),
      close: () => pglite.close(),
    };
  }

  const pool = new pg.Pool({ connectionString: config.url, max: options.poolSize ?? 10 });
  // An idle pooled connection that the server ends (restart, failover,
  // DROP DATABASE ... FORCE) emits "error"; unhandled, that would end the
  // process. The pool replaces the connection on next use.
  pool.on("error", (error: Error & { code?: string }) => {
    if (error.code !== "57P01") console.warn(`PostgreSQL connection lost: ${error.message}`);
  });
  const run = (db: pg.Pool | pg.PoolClient) => ({
    async query<T>(sql: string, params: unknown[] = [], options?: QueryOptions) {
      try {
        return (await db.query(options?.name ? { name: options.name, text: sql, values: params } : { text: sql, values: params }))
          .rows as T[];
      } catch (error) {
        throw scrubDatabaseError(error);
      }
    },
    async exec(sql: string) {
      await db.query(sql).catch((error: unknown) => Promise.reject(scrubDatabaseError(error)));
    },
  });
  return {
    kind: "postgres",
    pool,
    ...run(pool),
    async transaction(fn) {
      const client = await pool.connect();
      // A connection the server ends mid-transaction fails the statement, then
      // also emits "error" on the client, which the pool does not listen to
      // while the client is checked out: unheard, that is an uncaught exception.
      const ignore = () => {};
      client.on("error", ignore);
      let lost = false;
      try {
        await client.query("BEGIN");
        const result = await fn({ kind: "postgres", ...run(client) });
        await client.query("COMMIT");
        return result;
      } catch (error) {
        lost = isConnectionLost(error);
        if (!lost) await client.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        client.removeListener("error", ignore);
        // Released with an error, a lost connection leaves the pool instead of being handed out again.
        client.release(lost ? new Error("connection lost") : undefined);
      }
    },
    close: () => pool.end(),
  };
}
