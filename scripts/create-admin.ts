// Creates the first admin (or any user): npm run users:create -- --email a@b.c --name "Ada" [--role admin] [--password ...]
// Without --password a strong one is generated and printed once.
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { z } from "zod";
import { appendAudit } from "../lib/audit/append.ts";
import { ROLES } from "../lib/auth/permissions.ts";
import { createDatabase } from "../lib/db/client.ts";
import { resolveDatabaseConfig } from "../lib/db/config.ts";
import { migrate } from "../lib/db/migrate.ts";
import { createUserWithPassword } from "../lib/users/create.ts";
import { passwordWeakness } from "../lib/users/password-strength.ts";

const Args = z
  .object({
    email: z.email("--email must be an email address"),
    name: z.string().trim().min(1, "--name is required").max(120),
    role: z.enum(ROLES, { message: `--role must be one of ${ROLES.join(", ")}` }),
    password: z.string().max(256).optional(),
  })
  .superRefine((args, ctx) => {
    const weakness = args.password === undefined ? null : passwordWeakness(args.password, [args.email, args.name]);
    if (weakness) ctx.addIssue({ code: "custom", path: ["password"], message: `--password: ${weakness}` });
  });

const { values } = parseArgs({
  options: {
    email: { type: "string" },
    name: { type: "string" },
    role: { type: "string", default: "admin" },
    password: { type: "string" },
  },
});
const parsed = Args.safeParse(values);
if (!parsed.success) {
  console.error(z.prettifyError(parsed.error));
  process.exit(2);
}
const args = parsed.data;
const password = args.password ?? randomBytes(18).toString("base64url");

const { driver, prisma } = createDatabase(resolveDatabaseConfig(), { poolSize: 1 });
try {
  await migrate(driver);
  const result = await createUserWithPassword({ email: args.email, name: args.name, role: args.role, password }, prisma);
  if (!result.created) {
    console.error(`A user with email ${args.email} already exists; nothing changed.`);
    process.exitCode = 1;
  } else {
    await appendAudit(
      {
        actor: { kind: "system", label: "cli" },
        action: "user.create",
        target: { type: "user", id: result.id },
        summary: { role: args.role },
      },
      prisma,
    );
    console.log(`Created ${args.role} ${args.email}${args.password ? "" : ` with password: ${password}`}`);
  }
} finally {
  await prisma.$disconnect();
  await driver.close();
}
