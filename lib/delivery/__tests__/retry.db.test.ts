import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as retrySignalRoute } from "../../../app/api/signals/[id]/retry/route.ts";
import { POST as retryFailedRoute } from "../../../app/api/integrations/[id]/retry-failed/route.ts";
import { AuthorizationError } from "../../auth/actor.ts";
import { createApiKey } from "../../auth/api-keys.ts";
import { auditorActor, days, insertIntegration, insertSignal, privacyActor } from "../../integrations/__tests__/fixtures.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { MAX_BULK_RETRY } from "../../validations/deliveries.ts";
import { SIGNALS_CHANNEL } from "../notify.ts";
import { DeliveryRetryError, RESUME_FIRST, retryFailedSignals, retrySignal, TEST_NOT_RETRIED } from "../retry.ts";

let db: TestDatabase;
const long = new Date(Date.now() - days(10));

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
});
afterAll(async () => db?.dispose());

type SignalRow = {
  id: string;
  status: string;
  attempts: number;
  attempt_base: number;
  failed_at: Date | null;
  next_attempt_at: Date;
  lease_until: Date | null;
  last_error: string | null;
};
const signal = async (id: string) =>
  (
    await db.driver.query<SignalRow>(
      `SELECT id::text, status::text, attempts, attempt_base, failed_at, next_attempt_at, lease_until, last_error FROM integration_signals WHERE id = $1`,
      [id],
    )
  )[0]!;
const retryEntries = async () =>
  db.driver.query<{ actor_label: string; target_type: string; target_id: string; summary: Record<string, unknown> }>(
    `SELECT actor_label, target_type, target_id, summary FROM audit_entries WHERE action = 'delivery.retry' ORDER BY id`,
  );

async function failedSignal(integrationId: string, extra: { attempts?: number } = {}) {
  return insertSignal(db, {
    integrationId,
    kind: "consent_change",
    status: "failed",
    attempts: extra.attempts ?? 10,
    createdAt: long,
    failedAt: new Date(long.getTime() + days(3)),
    nextAttemptAt: new Date(long.getTime() + days(3)),
    lastError: "The endpoint answered 500.",
    lastStatusCode: 500,
  });
}

/** Resolves with the next notification on the workers' channel, or "none" after `ms`. */
async function nextNotification(ms = 1_500): Promise<"notified" | "none"> {
  if (db.driver.kind === "pglite") {
    const pglite = db.driver.pglite;
    return new Promise((resolve) => {
      let unlisten: (() => Promise<void>) | undefined;
      const done = (v: "notified" | "none") => {
        void unlisten?.();
        resolve(v);
      };
      const timer = setTimeout(() => done("none"), ms);
      void pglite
        .listen(SIGNALS_CHANNEL, () => {
          clearTimeout(timer);
          done("notified");
        })
        .then((u) => (unlisten = u));
    });
  }
  const client = await db.driver.pool.connect();
  await client.query(`LISTEN ${SIGNALS_CHANNEL}`);
  return new Promise((resolve) => {
    const done = (v: "notified" | "none") => {
      void client.query(`UNLISTEN ${SIGNALS_CHANNEL}`).finally(() => client.release());
      resolve(v);
    };
    const timer = setTimeout(() => done("none"), ms);
    client.once("notification", () => {
      clearTimeout(timer);
      done("notified");
    });
  });
}

describe("retrySignal", () => {
  it("puts a failed signal back to pending under the same id, with a fresh schedule, audited", async () => {
    const integration = await insertIntegration(db, { name: "Retry one" });
    const id = await failedSignal(integration, { attempts: 10 });
    const before = await retryEntries();
    const started = Date.now();

    const retried = await retrySignal(privacyActor, id);

    expect(retried).toEqual({ integrationId: integration, integrationName: "Retry one", ids: [id], remaining: 0 });
    const after = await signal(id);
    expect(after).toMatchObject({ id, status: "pending", attempts: 10, attempt_base: 10, failed_at: null, lease_until: null });
    // Due at once: the database's now() of the retry.
    expect(Math.abs(after.next_attempt_at.getTime() - started)).toBeLessThan(60_000);
    // The last answer stays, as evidence of why it had failed.
    expect(after.last_error).toBe("The endpoint answered 500.");
    const entries = await retryEntries();
    expect(entries.length).toBe(before.length + 1);
    expect(entries.at(-1)).toMatchObject({
      actor_label: privacyActor.label,
      target_type: "integration_signal",
      target_id: id,
      summary: { integration_id: integration, count: 1, ids: [id] },
    });
  });

  it("wakes the workers (NOTIFY on their channel) when it commits", async () => {
    const integration = await insertIntegration(db);
    const id = await failedSignal(integration);
    const heard = nextNotification();
    await new Promise((r) => setTimeout(r, 100));
    await retrySignal(privacyActor, id);
    expect(await heard).toBe("notified");
  });

  it.each(["pending", "retrying", "delivered"] as const)("refuses a %s signal and changes nothing", async (status) => {
    const integration = await insertIntegration(db);
    const id = await insertSignal(db, {
      integrationId: integration,
      status,
      attempts: 2,
      deliveredAt: status === "delivered" ? new Date() : null,
    });
    const before = [await signal(id), (await retryEntries()).length];
    const error = await retrySignal(privacyActor, id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryRetryError);
    expect(error).toMatchObject({ code: "not_failed", status: 409 });
    expect((error as Error).message).toContain(`this one is ${status}`);
    expect([await signal(id), (await retryEntries()).length]).toEqual(before);
  });

  it("refuses while the integration is paused or disabled by its endpoint: resume it first", async () => {
    for (const state of [{ enabled: false }, { enabled: false, disabledReason: "The endpoint answered 410 Gone." }]) {
      const integration = await insertIntegration(db, state);
      const id = await failedSignal(integration);
      const before = (await retryEntries()).length;
      await expect(retrySignal(privacyActor, id)).rejects.toMatchObject({ code: "integration_paused", status: 409, message: RESUME_FIRST });
      expect((await signal(id)).status).toBe("failed");
      expect((await retryEntries()).length).toBe(before);
    }
    expect(RESUME_FIRST).toMatch(/^Resume the integration first/);
  });

  it("answers not found for an unknown or malformed id", async () => {
    for (const id of ["00000000-0000-4000-8000-00000000dead", "not-a-uuid", "a\u0000b"]) {
      await expect(retrySignal(privacyActor, id)).rejects.toMatchObject({ code: "signal_not_found", status: 404 });
    }
  });

  it("refuses an auditor (reads everything, changes nothing) before reading anything", async () => {
    const integration = await insertIntegration(db);
    const id = await failedSignal(integration);
    await expect(retrySignal(auditorActor, id)).rejects.toBeInstanceOf(AuthorizationError);
    await expect(retryFailedSignals(auditorActor, integration)).rejects.toBeInstanceOf(AuthorizationError);
    expect((await signal(id)).status).toBe("failed");
  });

  it("of two retries at once, exactly one changes the signal and is audited", async () => {
    const integration = await insertIntegration(db);
    const id = await failedSignal(integration);
    const before = (await retryEntries()).length;
    const results = await Promise.allSettled([retrySignal(privacyActor, id), retrySignal(privacyActor, id)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ code: "not_failed" });
    expect((await retryEntries()).length).toBe(before + 1);
  });
});

describe("retryFailedSignals", () => {
  it("retries exactly the integration's failed signals, each under its own id, in one audit entry", async () => {
    const integration = await insertIntegration(db, { name: "Retry all" });
    const other = await insertIntegration(db);
    const failed = [await failedSignal(integration, { attempts: 10 }), await failedSignal(integration, { attempts: 7 })];
    const delivered = await insertSignal(db, { integrationId: integration, status: "delivered", attempts: 1, deliveredAt: new Date() });
    // A failed test signal is not retried: a test is sent once, while an admin waits.
    const test = await insertSignal(db, { integrationId: integration, kind: "test", status: "failed", attempts: 1, failedAt: new Date() });
    const elsewhere = await failedSignal(other);
    const before = (await retryEntries()).length;

    const retried = await retryFailedSignals(privacyActor, integration);

    expect(retried.ids).toEqual([...failed].sort());
    expect(retried.remaining).toBe(0);
    expect(await signal(failed[0]!)).toMatchObject({ status: "pending", attempt_base: 10 });
    expect(await signal(failed[1]!)).toMatchObject({ status: "pending", attempt_base: 7 });
    expect((await signal(delivered)).status).toBe("delivered");
    expect((await signal(test)).status).toBe("failed");
    await expect(retrySignal(privacyActor, test)).rejects.toMatchObject({ code: "not_failed", message: TEST_NOT_RETRIED });
    expect((await signal(test)).status).toBe("failed");
    expect((await signal(elsewhere)).status).toBe("failed");
    const entries = await retryEntries();
    expect(entries.length).toBe(before + 1);
    expect(entries.at(-1)).toMatchObject({
      target_type: "integration",
      target_id: integration,
      summary: { integration: "Retry all", count: 2, ids: [...failed].sort() },
    });
  });

  it("with nothing failed changes nothing and writes no entry", async () => {
    const integration = await insertIntegration(db);
    await insertSignal(db, { integrationId: integration, status: "retrying", attempts: 3 });
    const before = (await retryEntries()).length;
    expect(await retryFailedSignals(privacyActor, integration)).toMatchObject({ ids: [], remaining: 0 });
    expect((await retryEntries()).length).toBe(before);
  });

  it("refuses while paused, and for an unknown integration", async () => {
    const paused = await insertIntegration(db, { enabled: false });
    const id = await failedSignal(paused);
    await expect(retryFailedSignals(privacyActor, paused)).rejects.toMatchObject({ code: "integration_paused", message: RESUME_FIRST });
    expect((await signal(id)).status).toBe("failed");
    await expect(retryFailedSignals(privacyActor, "00000000-0000-4000-8000-00000000dead")).rejects.toMatchObject({
      code: "integration_not_found",
      status: 404,
    });
  });

  it(`takes at most ${MAX_BULK_RETRY} a call, oldest failure first, and says how many remain`, async () => {
    const integration = await insertIntegration(db);
    await db.driver.query(
      `INSERT INTO integration_signals (integration_id, kind, payload, status, attempts, failed_at)
       SELECT $1, 'consent_change', '{}', 'failed', 10, now() - (g * interval '1 second') FROM generate_series(1, $2::int) g`,
      [integration, MAX_BULK_RETRY + 1],
    );
    const [newest] = await db.driver.query<{ id: string }>(
      `SELECT id::text FROM integration_signals WHERE integration_id = $1 ORDER BY failed_at DESC LIMIT 1`,
      [integration],
    );
    const first = await retryFailedSignals(privacyActor, integration);
    expect(first.ids).toHaveLength(MAX_BULK_RETRY);
    expect(first.remaining).toBe(1);
    expect(first.ids).not.toContain(newest!.id);
    expect((await signal(newest!.id)).status).toBe("failed");
    expect(await retryFailedSignals(privacyActor, integration)).toMatchObject({ remaining: 0, ids: [expect.any(String)] });
  });
});

describe("the retry routes", () => {
  const call = async (handler: typeof retrySignalRoute, path: string, id: string, key: string) =>
    handler(new Request(`http://localhost${path}`, { method: "POST", headers: { authorization: `Bearer ${key}` } }), {
      params: Promise.resolve({ id }),
    });

  it("answer the retried signal, and refuse what the rules refuse with the error envelope", async () => {
    const { key } = await createApiKey({ name: "retry key", role: "privacy_officer", createdById: null }, db.prisma);
    const integration = await insertIntegration(db);
    const id = await failedSignal(integration);

    const ok = await call(retrySignalRoute, `/api/signals/${id}/retry`, id, key);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ data: { id, integration_id: integration, status: "pending" } });

    const again = await call(retrySignalRoute, `/api/signals/${id}/retry`, id, key);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: "not_failed", fields: { id: expect.any(String) } } });

    await failedSignal(integration);
    const all = await call(retryFailedRoute, `/api/integrations/${integration}/retry-failed`, integration, key);
    expect(await all.json()).toMatchObject({ data: { integration_id: integration, retried: 1, remaining: 0 } });

    const paused = await insertIntegration(db, { enabled: false });
    const refused = await call(retryFailedRoute, `/api/integrations/${paused}/retry-failed`, paused, key);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: { code: "integration_paused", message: RESUME_FIRST } });
  });
});
