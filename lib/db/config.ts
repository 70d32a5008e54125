import path from "node:path";

/** Where the data lives: a PostgreSQL server, or PGlite in a folder (or in memory). */
export type DatabaseConfig = { kind: "postgres"; url: string } | { kind: "pglite"; dataDir: string | undefined };

export const DEFAULT_PGLITE_DIR = ".data/pglite";

/**
 * DATABASE_URL (postgres:// or postgresql://) selects a PostgreSQL server;
 * without it the app runs on embedded PGlite in PGLITE_DIR (default
 * `.data/pglite`), or in memory when PGLITE_DIR is `memory://`.
 */
export function resolveDatabaseConfig(env: Record<string, string | undefined> = process.env): DatabaseConfig {
  const url = env.DATABASE_URL?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new Error("DATABASE_URL must be a postgres:// or postgresql:// URL (Consent Desk runs on PostgreSQL only)");
    }
    return { kind: "postgres", url };
  }
  const dir = env.PGLITE_DIR?.trim() || DEFAULT_PGLITE_DIR;
  if (dir === "memory://") return { kind: "pglite", dataDir: undefined };
  return { kind: "pglite", dataDir: path.resolve(/*turbopackIgnore: true*/ dir) };
}

export function describeDatabase(config: DatabaseConfig): string {
  if (config.kind === "pglite") return `PGlite (${config.dataDir ?? "in memory"})`;
  const u = new URL(config.url);
  return `PostgreSQL ${u.hostname}:${u.port || 5432}${u.pathname}`;
}
