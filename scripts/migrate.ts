// Applies pending migrations to the configured database (DATABASE_URL or PGlite).
import { describeDatabase, resolveDatabaseConfig } from "../lib/db/config.ts";
import { openDriver } from "../lib/db/driver.ts";
import { migrate } from "../lib/db/migrate.ts";

const config = resolveDatabaseConfig();
const driver = openDriver(config, { poolSize: 1 });
try {
  const result = await migrate(driver);
  console.log(
    `${describeDatabase(config)}: ${result.applied.length} migration(s) applied` +
      (result.applied.length ? ` (${result.applied.join(", ")})` : "") +
      `, ${result.alreadyApplied.length} already applied.`,
  );
} finally {
  await driver.close();
}
