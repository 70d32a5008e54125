import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_PGLITE_DIR, resolveDatabaseConfig } from "../config.ts";

// resolveDatabaseConfig takes the environment as an argument, so these tests
// never touch process.env (and cannot leak into other tests in the worker).
describe("resolveDatabaseConfig", () => {
  it.each(["postgres://app:secret@db.internal:5432/consent", "postgresql://app@127.0.0.1/consent?sslmode=disable"])(
    "selects PostgreSQL for %s",
    (url) => {
      expect(resolveDatabaseConfig({ DATABASE_URL: url })).toEqual({ kind: "postgres", url });
    },
  );

  it("trims the URL it returns", () => {
    expect(resolveDatabaseConfig({ DATABASE_URL: "  postgres://h/db \n" })).toEqual({ kind: "postgres", url: "postgres://h/db" });
  });

  it("prefers DATABASE_URL over PGLITE_DIR", () => {
    expect(resolveDatabaseConfig({ DATABASE_URL: "postgres://h/db", PGLITE_DIR: "/tmp/x" }).kind).toBe("postgres");
  });

  it.each([
    ["unset", {}],
    ["empty", { DATABASE_URL: "" }],
    ["blank", { DATABASE_URL: "   " }],
  ])("falls back to PGlite in .data/pglite when DATABASE_URL is %s", (_label, env) => {
    const config = resolveDatabaseConfig(env);
    expect(DEFAULT_PGLITE_DIR).toBe(".data/pglite");
    // Resolved against the working directory so the folder is the same whichever module opens it.
    expect(config).toEqual({ kind: "pglite", dataDir: path.resolve(".data/pglite") });
    expect(config.kind === "pglite" && path.isAbsolute(config.dataDir ?? "")).toBe(true);
  });

  it("honours PGLITE_DIR, relative or absolute", () => {
    expect(resolveDatabaseConfig({ PGLITE_DIR: "tmp/db" })).toEqual({ kind: "pglite", dataDir: path.resolve("tmp/db") });
    expect(resolveDatabaseConfig({ PGLITE_DIR: "/var/lib/cd" })).toEqual({ kind: "pglite", dataDir: "/var/lib/cd" });
  });

  it("uses the default folder when PGLITE_DIR is blank", () => {
    expect(resolveDatabaseConfig({ PGLITE_DIR: "  " })).toEqual({ kind: "pglite", dataDir: path.resolve(DEFAULT_PGLITE_DIR) });
  });

  it("runs PGlite in memory for memory://", () => {
    expect(resolveDatabaseConfig({ PGLITE_DIR: "memory://" })).toEqual({ kind: "pglite", dataDir: undefined });
  });

  it.each(["mysql://root@localhost/consent", "file:./dev.db", "sqlserver://localhost:1433", "localhost:5432/consent"])(
    "rejects the non-PostgreSQL URL %s, naming DATABASE_URL",
    (url) => {
      expect(() => resolveDatabaseConfig({ DATABASE_URL: url })).toThrow(/DATABASE_URL/);
    },
  );
});
