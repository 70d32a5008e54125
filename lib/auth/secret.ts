import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * A server secret: the environment variable when set (it must be, and the
 * same, on every instance of a multi-instance deploy). Otherwise one is made
 * once per checkout and kept in .data/ (git-ignored), so a demo needs no
 * set-up and no secret is ever committed or bundled.
 */
export function serverSecret(variable: string, fileName: string): string {
  const fromEnv = process.env[variable]?.trim();
  if (fromEnv) {
    if (fromEnv.length < 32) throw new Error(`${variable} must be at least 32 characters`);
    return fromEnv;
  }
  const file = path.join(process.cwd(), ".data", fileName);
  if (!existsSync(/*turbopackIgnore: true*/ file)) {
    mkdirSync(/*turbopackIgnore: true*/ path.dirname(file), { recursive: true });
    try {
      writeFileSync(/*turbopackIgnore: true*/ file, randomBytes(32).toString("base64url"), { mode: 0o600, flag: "wx" });
    } catch (error) {
      // Another process made it first: read theirs.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  return readFileSync(/*turbopackIgnore: true*/ file, "utf8").trim();
}

/** The session-signing secret (BETTER_AUTH_SECRET). */
export function authSecret(): string {
  return serverSecret("BETTER_AUTH_SECRET", "auth-secret");
}
