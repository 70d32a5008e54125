import { parseArgs, type ParseArgsConfig } from "node:util";
import { closeDatabase, getDatabase } from "../../lib/db/client.ts";

// What every bench script shares: its flags, its refusals (a missing
// database, a bad flag) printed as a message with the usage rather than a
// stack trace, and its exit.

/** A reason not to run, shown to the person as it is. */
export class Refusal extends Error {}

/** The flags, or a Refusal carrying the usage. */
type FlagOptions = NonNullable<ParseArgsConfig["options"]>;

export function parseFlags<const O extends FlagOptions>(options: O, usage: string): ReturnType<typeof parseArgs<{ options: O }>>["values"] {
  try {
    return parseArgs({ options }).values;
  } catch (error) {
    throw new Refusal(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
  }
}

/** Reads integer flags, refusing one outside [min, max] with the usage. */
export function integerFlag(usage: string) {
  return (name: string, raw: string, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new Refusal(`--${name} must be an integer from ${min} to ${max}\n\n${usage}`);
    return n;
  };
}

export const SEED_HINT = "Seed one with: DATABASE_URL=postgresql://postgres@127.0.0.1:5432/cd_bench npm run db:seed -- --size 1m";

/** The process's database, refusing anything but a PostgreSQL server named by DATABASE_URL. */
export async function benchDatabase(usage: string) {
  if (!process.env.DATABASE_URL?.trim()) {
    throw new Refusal(
      `DATABASE_URL is not set. This bench measures PostgreSQL (not the embedded PGlite) at production size.\n${SEED_HINT}\n\n${usage}`,
    );
  }
  const database = await getDatabase();
  if (database.driver.kind !== "postgres") throw new Refusal("DATABASE_URL must point at PostgreSQL");
  return { ...database, driver: database.driver };
}

/** Runs a bench's main: exit 0 after `cleanup`, or print the refusal (or error), clean up and exit 1. */
export function runBench(main: () => Promise<void>, cleanup: () => Promise<unknown> = closeDatabase): void {
  main()
    .then(cleanup)
    .then(() => process.exit(0))
    .catch(async (error: unknown) => {
      console.error(error instanceof Refusal ? `\n${error.message}` : error);
      await cleanup().catch(() => {});
      process.exit(1);
    });
}
