import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as getConsentRoute, PATCH as patchConsentRoute } from "../../../app/api/storefront/v1/customers/[id]/consent/route.ts";
import { CONNECTION_LOST } from "../../actions/define.ts";
import { createApiKey } from "../../auth/api-keys.ts";
import { DEMO_PASSWORD, DEMO_USERS, seedDemoUsers } from "../../seed/users.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../../testing/test-database.ts";
import { signInCookie } from "../../testing/surface.ts";
import { isConnectionLost } from "../errors.ts";

// PostgreSQL ends a connection under a request, for real: the request's
// statement waits on a lock this test holds, and pg_terminate_backend ends
// exactly the backend seen waiting (pg_stat_activity). A read then runs again
// on a fresh connection; a write answers 503 with Retry-After and writes
// nothing; an action answers "try again"; nothing is left uncaught. PGlite
// is one process with no connections to lose: skipped there.

let requestHeaders = new Headers();
vi.mock("next/headers", () => ({ headers: async () => requestHeaders, cookies: async () => ({ get: () => undefined, set: () => {} }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const EXTERNAL_ID = "connection-lost";
let db: TestDatabase;
let holder: pg.Client;
let watcher: pg.Client;
let key: string;
let customerId: string;
const uncaught: unknown[] = [];
const onUncaught = (error: unknown) => uncaught.push(error);

/** Read on the watcher's own connection: the pool's may be the very ones a test has just ended. */
const count = async (sql: string) => Number((await watcher.query<{ n: string }>(sql)).rows[0]!.n);
const history = () => count(`SELECT count(*) AS n FROM consent_changes`);
/** node-postgres knows its backend's pid; its types do not say so. */
const pidOf = (client: pg.Client) => (client as unknown as { processID: number }).processID;

/** Backends of the test's database that are waiting on a lock, other than the holder's. */
async function waiting(): Promise<number[]> {
  const { rows } = await watcher.query<{ pid: number }>(
    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> $1",
    [pidOf(holder)],
  );
  return rows.map((r) => r.pid);
}

/**
 * Runs `request` while `customers` is locked, ends the first `terminations`
 * backends seen waiting on it (one at a time: a retry waits again), then
 * lets the rest through.
 */
async function underTermination<T>(request: () => Promise<T>, terminations = 1): Promise<T> {
  await holder.query("BEGIN");
  await holder.query("LOCK TABLE customers IN ACCESS EXCLUSIVE MODE");
  const pending = request();
  try {
    for (let ended = 0; ended < terminations;) {
      const [pid] = await waiting();
      if (pid === undefined) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        continue;
      }
      await watcher.query("SELECT pg_terminate_backend($1)", [pid]);
      ended++;
      // The next wait is a new backend's: wait until the ended one has gone from the view.
      while ((await waiting()).includes(pid)) await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    await holder.query("ROLLBACK");
  }
  return pending;
}

const consentRequest = (method: "GET" | "PATCH", body?: unknown) => {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (body) headers["content-type"] = "application/json";
  return [
    new Request(`http://localhost/api/storefront/v1/customers/${EXTERNAL_ID}/consent`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { params: Promise.resolve({ id: EXTERNAL_ID }) },
  ] as const;
};

describe.skipIf(testDatabaseKind() !== "postgres")("a database connection lost under a request (PostgreSQL)", () => {
  beforeAll(async () => {
    process.on("uncaughtException", onUncaught);
    db = await createTestDatabase({ install: true });
    const url = (db.config as { url: string }).url;
    holder = new pg.Client({ connectionString: url });
    watcher = new pg.Client({ connectionString: url });
    await Promise.all([holder.connect(), watcher.connect()]);
    customerId = (
      await db.driver.query<{ id: string }>("INSERT INTO customers (external_id, email) VALUES ($1, 'lost@example.test') RETURNING id", [
        EXTERNAL_ID,
      ])
    )[0]!.id;
    key = (await createApiKey({ name: "connection lost", role: "admin", createdById: null }, db.prisma)).key;
    await seedDemoUsers(db.prisma);
    const admin = DEMO_USERS.find((u) => u.role === "admin")!;
    requestHeaders = new Headers({ cookie: await signInCookie(admin.email, DEMO_PASSWORD) });
    // Warm: the key is cached and every module loaded, so the lock is the first thing each request waits on.
    expect((await getConsentRoute(...consentRequest("GET"))).status).toBe(200);
  });
  afterAll(async () => {
    process.off("uncaughtException", onUncaught);
    await holder?.end();
    await watcher?.end();
    await db?.dispose();
  });

  it("a GET runs once more on a fresh connection and answers 200", async () => {
    const response = await underTermination(() => getConsentRoute(...consentRequest("GET")));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ data: { consent: { customer_id: EXTERNAL_ID } } });
  });

  it("a GET whose second connection is lost too answers 503 with Retry-After", async () => {
    const response = await underTermination(() => getConsentRoute(...consentRequest("GET")), 2);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("1");
    expect(await response.json()).toMatchObject({ error: { code: "unavailable", message: expect.stringMatching(/try again/i) } });
  });

  it("a write answers 503 unavailable with Retry-After: 1, and nothing is written", async () => {
    const before = await history();
    const response = await underTermination(() =>
      patchConsentRoute(...consentRequest("PATCH", { consent: { purposes: { email_marketing: false } } })),
    );
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("1");
    expect(await response.json()).toMatchObject({ error: { code: "unavailable" } });
    expect(await history()).toBe(before);
    // Sent again, it goes through.
    expect((await patchConsentRoute(...consentRequest("PATCH", { consent: { purposes: { email_marketing: false } } }))).status).toBe(200);
    expect(await history()).toBe(before + 1);
  });

  it("a server action answers a clear 'try again', and nothing is written", async () => {
    const { changeConsentAction } = await import("../../actions/consent.ts");
    const before = await history();
    const version = await count(`SELECT version AS n FROM customer_consents WHERE customer_id = '${customerId}'`);
    const result = await underTermination(() =>
      changeConsentAction({ customerId, expectedVersion: version, purposes: { push_notifications: false }, reason: "Asked by phone" }),
    );
    expect(result).toEqual({ ok: false, error: CONNECTION_LOST });
    expect(await history()).toBe(before);
  });

  it("a transaction on the raw driver fails as a lost connection, and its client's late 'error' is heard", async () => {
    const error = await underTermination(() =>
      db.driver
        .transaction((tx) => tx.query("INSERT INTO customers (external_id) VALUES ('lost-in-transaction')"))
        .then(
          () => null,
          (e: unknown) => e,
        ),
    );
    expect(isConnectionLost(error)).toBe(true);
    expect(await count("SELECT count(*) AS n FROM customers WHERE external_id = 'lost-in-transaction'")).toBe(0);
    expect(await count("SELECT 1 AS n")).toBe(1);
  });

  it("every connection of the pool ended at once: a GET still answers 200, a write 200 or 503 with nothing half-written", async () => {
    await watcher.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid NOT IN ($1, $2)",
      [pidOf(holder), pidOf(watcher)],
    );
    expect((await getConsentRoute(...consentRequest("GET"))).status).toBe(200);
    await watcher.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid NOT IN ($1, $2)",
      [pidOf(holder), pidOf(watcher)],
    );
    const before = await history();
    const patch = await patchConsentRoute(...consentRequest("PATCH", { consent: { purposes: { email_marketing: true } } }));
    expect([200, 503]).toContain(patch.status);
    expect(await history()).toBe(before + (patch.status === 200 ? 1 : 0));
  });

  it("left nothing uncaught", async () => {
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(uncaught).toEqual([]);
  });
});
