import { readdirSync } from "node:fs";
import path from "node:path";
import { getAuth } from "../auth/server.ts";
import type { TestDatabase } from "./test-database.ts";

// What the authorization, guard and fuzz suites share: the app's surface
// read from the files, a signed-in cookie, and "nothing was written".

/** Every route handler file under app/api. */
export function routeFiles(dir = "app/api"): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}

/** The session cookie of a real better-auth sign-in. */
export async function signInCookie(email: string, password: string): Promise<string> {
  const response = await (
    await getAuth()
  ).handler(
    new Request("http://localhost/api/auth/sign-in/email", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password }),
    }),
  );
  return response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

/** Every table's row count, to check that a refused request wrote nothing. */
export async function rowCounts(db: TestDatabase): Promise<Record<string, number>> {
  const tables = await db.driver.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const counts: Record<string, number> = {};
  for (const { table_name } of tables) {
    counts[table_name] = Number((await db.driver.query<{ n: string }>(`SELECT count(*) AS n FROM "${table_name}"`))[0]!.n);
  }
  return counts;
}
