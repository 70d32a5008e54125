// Creates an API key for a role and prints it once: npm run api-keys:create -- --role marketer --name "CRM sync"
import { parseArgs } from "node:util";
import { z } from "zod";
import { appendAudit } from "../lib/audit/append.ts";
import { createApiKey } from "../lib/auth/api-keys.ts";
import { ROLES } from "../lib/auth/permissions.ts";
import { createDatabase } from "../lib/db/client.ts";
import { resolveDatabaseConfig } from "../lib/db/config.ts";
import { migrate } from "../lib/db/migrate.ts";

const Args = z.object({
  role: z.enum(ROLES, { message: `--role must be one of ${ROLES.join(", ")}` }),
  name: z.string().trim().min(1, "--name is required").max(120),
});
const { values } = parseArgs({ options: { role: { type: "string" }, name: { type: "string" } } });
const parsed = Args.safeParse(values);
if (!parsed.success) {
  console.error(z.prettifyError(parsed.error));
  process.exit(2);
}

const { driver, prisma } = createDatabase(resolveDatabaseConfig(), { poolSize: 1 });
try {
  await migrate(driver);
  const key = await createApiKey({ ...parsed.data, createdById: null }, prisma);
  await appendAudit(
    {
      actor: { kind: "system", label: "cli" },
      action: "api_key.create",
      target: { type: "api_key", id: key.id },
      summary: { name: key.name, role: key.role },
    },
    prisma,
  );
  // The key alone on stdout, so scripts can capture it.
  console.log(key.key);
  console.error(`Created API key "${key.name}" (${key.role}), ${key.prefix}…; it is not shown again.`);
} finally {
  await prisma.$disconnect();
  await driver.close();
}
