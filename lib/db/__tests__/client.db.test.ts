import { afterEach, describe, expect, it } from "vitest";
import { createDatabase, type Database } from "../client.ts";
import { resolveDatabaseConfig } from "../config.ts";

// createDatabase opens a connection but never migrates, so `select 1` is all
// that can be asked of it; the schema itself is covered by the migrate and drift tests.
let opened: Database | undefined;

afterEach(async () => {
  await opened?.prisma.$disconnect();
  await opened?.driver.close().catch(() => {});
  opened = undefined;
});

describe("createDatabase", () => {
  it("builds Prisma over an in-memory PGlite", async () => {
    opened = createDatabase({ kind: "pglite", dataDir: undefined });
    expect(opened.driver.kind).toBe("pglite");
    const rows = await opened.prisma.$queryRaw<{ one: number }[]>`select 1 as one`;
    expect(rows).toEqual([{ one: 1 }]);
    // Prisma and the raw driver share the one PGlite instance.
    expect(await opened.driver.query("select 2 as two")).toEqual([{ two: 2 }]);
  });

  it.runIf(Boolean(process.env.DATABASE_URL))("builds Prisma over a pg pool for DATABASE_URL", async () => {
    const config = resolveDatabaseConfig({ DATABASE_URL: process.env.DATABASE_URL });
    opened = createDatabase(config, { poolSize: 2 });
    expect(opened.driver.kind).toBe("postgres");
    const rows = await opened.prisma.$queryRaw<{ one: number }[]>`select 1 as one`;
    expect(rows).toEqual([{ one: 1 }]);
  });
});
