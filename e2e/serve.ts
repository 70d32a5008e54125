// Playwright's web server: prepares a fresh database with demo data, builds
// the app unless E2E_SKIP_BUILD=1, and serves it with `next start`.
// DATABASE_URL set: that PostgreSQL database is emptied and seeded.
// Unset: a PGlite folder under .data/e2e is recreated.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describeDatabase, resolveDatabaseConfig } from "../lib/db/config.ts";
import { createDatabase } from "../lib/db/client.ts";
import { migrate } from "../lib/db/migrate.ts";
import { resetDatabase, seedDatabase } from "../lib/seed/index.ts";
import { seedDemoUsers } from "../lib/seed/users.ts";

const port = process.env.E2E_PORT ?? "3300";
const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
if (!env.DATABASE_URL) {
  env.PGLITE_DIR = path.resolve(".data/e2e/pglite");
  rmSync(env.PGLITE_DIR, { recursive: true, force: true });
}

// A fresh secret per run, present at build and at run time; e2e/bundle.spec.ts
// checks that neither it nor any other server secret reaches a client bundle.
env.BETTER_AUTH_SECRET = randomBytes(32).toString("base64url");
env.TOMBSTONE_SECRET = randomBytes(32).toString("base64url");
mkdirSync(".data/e2e", { recursive: true });
writeFileSync(
  ".data/e2e/secrets.json",
  JSON.stringify({
    BETTER_AUTH_SECRET: env.BETTER_AUTH_SECRET,
    TOMBSTONE_SECRET: env.TOMBSTONE_SECRET,
    DATABASE_URL: env.DATABASE_URL ?? null,
  }),
);

env.BETTER_AUTH_URL ??= `http://127.0.0.1:${port}`;
// The specs' webhook receivers listen on loopback, and the delivery worker runs inside the server (on both databases).
env.INTEGRATIONS_ALLOW_PRIVATE = "1";
env.DELIVERY_WORKER ??= "inline";

const config = resolveDatabaseConfig(env);
const { driver, prisma } = createDatabase(config, { poolSize: 2 });
await migrate(driver);
await resetDatabase(driver);
await seedDatabase(driver, { customers: 500, eventsPerCustomer: 3, chunkSize: 500 });
await seedDemoUsers(prisma);
// Earlier runs' failed sign-ins would lock the demo accounts out.
await driver.exec("DELETE FROM sign_in_counters");
await prisma.$disconnect();
await driver.close();
console.log(`e2e: seeded ${describeDatabase(config)}`);

if (process.env.E2E_SKIP_BUILD !== "1") {
  const build = spawnSync("npx", ["next", "build"], { stdio: "inherit", env });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

// next's own bin, not through npx, so the SIGTERM Playwright sends at the end reaches the server (no stale server on the port).
const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
const server = spawn(process.execPath, [nextBin, "start", "-p", port], { stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
