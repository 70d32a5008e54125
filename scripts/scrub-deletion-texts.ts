// Scrubs every stored free text about deletions (reasons, extension reasons,
// bulk file names) as lib/deletions/free-text.ts scrubs it when written today.
// Run once after upgrading from a version before that rule; safe to run again.
//   npm run deletions:scrub-texts
import { createDatabase } from "../lib/db/client.ts";
import { describeDatabase, resolveDatabaseConfig } from "../lib/db/config.ts";
import { migrate } from "../lib/db/migrate.ts";
import { rescrubDeletionTexts } from "../lib/deletions/scrub-texts.ts";

const config = resolveDatabaseConfig();
const { driver, prisma } = createDatabase(config, { poolSize: 1 });
try {
  await migrate(driver);
  const changed = await rescrubDeletionTexts(driver);
  console.log(`${describeDatabase(config)}: ${changed} deletion text(s) scrubbed.`);
} finally {
  await prisma.$disconnect();
  await driver.close();
}
