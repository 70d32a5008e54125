// Fills the configured database with demo data. `npm run db:seed -- --help`.
import { parseArgs } from "node:util";
import { SingleBar, Presets } from "cli-progress";
import { z } from "zod";
import { describeDatabase, resolveDatabaseConfig } from "../lib/db/config.ts";
import { createDatabase } from "../lib/db/client.ts";
import { migrate } from "../lib/db/migrate.ts";
import { resetDatabase, seedDatabase } from "../lib/seed/index.ts";
import { DEMO_PASSWORD, DEMO_USERS, seedDemoUsers } from "../lib/seed/users.ts";

const SIZES = { demo: 3_000, "100k": 100_000, "1m": 1_000_000 } as const;

const Args = z.object({
  size: z.union([z.enum(["demo", "100k", "1m"]).transform((s) => SIZES[s]), z.coerce.number().int().min(0).max(10_000_000)]),
  "events-per-customer": z.coerce.number().int().min(0).max(100).optional(),
  reset: z.boolean(),
  force: z.boolean(),
  help: z.boolean(),
});

const { values } = parseArgs({
  options: {
    size: { type: "string", default: "demo" },
    "events-per-customer": { type: "string" },
    reset: { type: "boolean", default: false },
    force: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});

const parsed = Args.safeParse(values);
if (!parsed.success || values.help) {
  if (!parsed.success) console.error(z.prettifyError(parsed.error));
  console.log(`Usage: npm run db:seed -- [--size demo|100k|1m|<number>] [--events-per-customer N] [--reset] [--force]
  demo = 3,000 customers with 10 events each; 1m = 1,000,000 customers with 5 events each.
  --reset empties the domain tables first; --force allows a non-local database or NODE_ENV=production.`);
  process.exit(parsed.success ? 0 : 2);
}
const args = parsed.data;
const eventsPerCustomer = args["events-per-customer"] ?? (args.size >= 100_000 ? 5 : 10);

const config = resolveDatabaseConfig();
const local = config.kind === "pglite" || ["localhost", "127.0.0.1", "::1"].includes(new URL(config.url).hostname);
if ((!local || process.env.NODE_ENV === "production") && !args.force) {
  console.error(`Refusing to seed ${describeDatabase(config)}: it is not a local development database. Pass --force if you mean it.`);
  process.exit(1);
}

const { driver, prisma } = createDatabase(config, { poolSize: 2 });
const started = performance.now();
try {
  await migrate(driver);
  if (args.reset) await resetDatabase(driver);
  console.log(`Seeding ${describeDatabase(config)}: ${args.size.toLocaleString("en")} customers, ${eventsPerCustomer} events each`);
  const bar = new SingleBar(
    { noTTYOutput: true, notTTYSchedule: 10_000, format: "  {bar} {percentage}% | {value}/{total} customers | {duration_formatted}" },
    Presets.shades_classic,
  );
  bar.start(args.size, 0);
  // Stopped on failure too: its timer would otherwise keep the process (silently) alive.
  const summary = await seedDatabase(driver, {
    customers: args.size,
    eventsPerCustomer,
    chunkSize: args.size >= 100_000 ? 20_000 : 1_000,
    onProgress: (done) => bar.update(done),
  }).finally(() => bar.stop());
  await seedDemoUsers(prisma);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `Done in ${seconds}s: ${summary.customers.toLocaleString("en")} customers, ${summary.consents.toLocaleString("en")} consent records, ` +
      `${summary.memberships.toLocaleString("en")} audience memberships, ${summary.enrolments.toLocaleString("en")} journey enrolments, ` +
      `${summary.events.toLocaleString("en")} loyalty events.`,
  );
  console.log(`Demo users (password "${DEMO_PASSWORD}"): ${DEMO_USERS.map((u) => `${u.email} (${u.role})`).join(", ")}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await prisma.$disconnect();
  await driver.close();
}
