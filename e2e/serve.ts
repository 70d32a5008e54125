// Playwright's web server: prepares a fresh database with demo data, builds
// the app unless E2E_SKIP_BUILD=1, and serves it as `npm start` does
// (scripts/server.ts), its output also kept in .data/e2e/server.log for the
// specs that check what the server logged (e2e/edge.spec.ts).
// DATABASE_URL set: that PostgreSQL database is emptied and seeded.
// Unset: a PGlite folder under .data/e2e is recreated.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describeDatabase, resolveDatabaseConfig } from "../lib/db/config.ts";
import { createDatabase } from "../lib/db/client.ts";
import { migrate } from "../lib/db/migrate.ts";
import { resetDatabase, seedDatabase } from "../lib/seed/index.ts";
import { seedDemoUsers } from "../lib/seed/users.ts";
import { SERVER_LOG } from "./server-log.ts";

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

// Short client timeouts, so e2e/edge.spec.ts sees a slow client cut off in seconds (the defaults are 15 s and 60 s).
env.HTTP_HEADERS_TIMEOUT_MS ??= "3000";
env.HTTP_REQUEST_TIMEOUT_MS ??= "8000";
// Node itself, not through npx, so the SIGTERM Playwright sends at the end reaches the server (no stale server on the port).
const server = spawn(process.execPath, ["--import", "tsx/esm", "scripts/server.ts", "-p", port], {
  stdio: ["ignore", "pipe", "pipe"],
  env,
});
const log = createWriteStream(SERVER_LOG);
for (const [from, to] of [
  [server.stdout, process.stdout],
  [server.stderr, process.stderr],
] as const) {
  from.pipe(to);
  from.pipe(log);
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
