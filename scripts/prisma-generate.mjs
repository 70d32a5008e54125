// `prisma generate` needs no schema engine, but the CLI tries to download one
// (from a host this network may not reach) unless PRISMA_SCHEMA_ENGINE_BINARY
// names an existing file. Point it at this script so installs work offline too.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(import.meta.url);
env.PRISMA_HIDE_UPDATE_MESSAGE = "1";
const result = spawnSync("npx", ["--no-install", "prisma", "generate"], { stdio: "inherit", env });
process.exit(result.status ?? 1);
