import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * The session-signing secret: BETTER_AUTH_SECRET when set (it must be, and the
 * same, on every instance of a multi-instance deploy). Otherwise one is made
 * once per checkout and kept in .data/ (git-ignored), so a demo needs no
 * set-up and no secret is ever committed or bundled.
 */
export function authSecret(): string {
  const fromEnv = process.env.BETTER_AUTH_SECRET?.trim();
  if (fromEnv) {
    if (fromEnv.length < 32) throw new Error("BETTER_AUTH_SECRET must be at least 32 characters");
    return fromEnv;
  }
  const file = path.join(process.cwd(), ".data", "auth-secret");
  if (!existsSync(/*turbopackIgnore: true*/ file)) {
    mkdirSync(/*turbopackIgnore: true*/ path.dirname(file), { recursive: true });
    writeFileSync(/*turbopackIgnore: true*/ file, randomBytes(32).toString("base64url"), { mode: 0o600, flag: "wx" });
  }
  return readFileSync(/*turbopackIgnore: true*/ file, "utf8").trim();
}
