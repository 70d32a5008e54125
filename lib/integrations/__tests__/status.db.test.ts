import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { getIntegrationStatus, listIntegrationStatuses } from "../status.ts";
import { days, hours, insertAttempt, insertIntegration, insertSignal, minutes } from "./fixtures.ts";

// Rows at known times around a fixed NOW, so every window edge and every
// percentile is an exact number (percentile_cont interpolates linearly).

const NOW = new Date("2026-11-20T12:00:00.000Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms);

let db: TestDatabase;
let busy: string;
let paused: string;
let gone: string;

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
  busy = await insertIntegration(db, { name: "A busy one" });
  paused = await insertIntegration(db, { name: "B paused", enabled: false });
  gone = await insertIntegration(db, { name: "C gone", enabled: false, disabledReason: "The endpoint answered 410 Gone." });

  // Counts: 2 pending, 1 retrying, 1 failed, and the delivered ones below (4 + 2 + 3 = 9).
  for (const status of ["pending", "pending", "retrying", "failed"] as const) await insertSignal(db, { integrationId: busy, status });
  // Test signals (Settings' "send a test signal") are not counted, delivered or failed.
  for (const status of ["delivered", "failed"] as const) await insertSignal(db, { integrationId: busy, kind: "test", status });

  // Lag, last 24 h: 1, 2, 3, 4 s. Last 7 days adds 10 s and 20 s.
  const delivered = async (createdAt: Date, lagMs: number, kind: "consent_change" | "delete" = "consent_change") =>
    insertSignal(db, {
      integrationId: busy,
      kind,
      status: "delivered",
      attempts: 1,
      createdAt,
      deliveredAt: new Date(createdAt.getTime() + lagMs),
    });
  for (const [i, lag] of [1000, 2000, 3000, 4000].entries()) await delivered(ago(hours(2 + i)), lag);
  await delivered(ago(days(3)), 10_000);
  await delivered(ago(days(6)), 20_000);
  // Outside: a deletion (not a consent change), delivered 8 days ago, and delivered after NOW.
  await delivered(ago(hours(1)), 900_000, "delete");
  await delivered(ago(days(8)), 1_000);
  await delivered(ago(minutes(1)), minutes(5));

  // Attempts, last 24 h: latencies 100 … 1000 ms, 8 delivered and 2 not.
  const anySignal = await insertSignal(db, {
    integrationId: busy,
    status: "delivered",
    kind: "delete",
    deliveredAt: ago(days(30)),
    createdAt: ago(days(30)),
  });
  for (let i = 1; i <= 10; i++) {
    const failed = i === 3 || i === 7;
    await insertAttempt(db, {
      signalId: anySignal,
      integrationId: busy,
      attempt: i,
      startedAt: ago(hours(i)),
      latencyMs: i * 100,
      statusCode: failed ? 503 : 200,
      error: failed ? "The endpoint answered 503." : null,
      outcome: failed ? "retry" : "delivered",
    });
  }
  // Outside the window: 25 h ago, and after NOW; and the newest failure, 30 minutes ago, with no status.
  await insertAttempt(db, { signalId: anySignal, integrationId: busy, attempt: 11, startedAt: ago(hours(25)), latencyMs: 99_999 });
  await insertAttempt(db, {
    signalId: anySignal,
    integrationId: busy,
    attempt: 12,
    startedAt: new Date(NOW.getTime() + minutes(5)),
    outcome: "retry",
    error: "later",
  });
  await insertAttempt(db, {
    signalId: anySignal,
    integrationId: busy,
    attempt: 13,
    startedAt: ago(minutes(30)),
    latencyMs: 15_000,
    statusCode: null,
    error: "No answer within 15 s.",
    outcome: "retry",
  });
});
afterAll(async () => db?.dispose());

describe("integration status", () => {
  it("counts the outbox by status", async () => {
    const status = (await getIntegrationStatus(busy, { now: NOW }))!;
    expect(status.counts).toEqual({ pending: 2, retrying: 1, failed: 1, delivered: 10 });
    expect(status.health).toMatchObject({ health: "failing", reason: expect.stringContaining("1 signal failed") });
    expect(status.connection).toBe("connected");
  });

  it("rates the last 24 hours of attempts: success rate and p95 latency, edges excluded", async () => {
    const { last24h } = (await getIntegrationStatus(busy, { now: NOW }))!;
    // 100 … 1000 ms and the 15 s timeout, 30 minutes ago: 11 attempts, 8 delivered.
    expect(last24h.attempts).toBe(11);
    expect(last24h.delivered).toBe(8);
    expect(last24h.successRate).toBeCloseTo(8 / 11, 10);
    // percentile_cont(0.95) over [100 … 1000, 15000]: position 9.5 between 1000 and 15000.
    expect(last24h.p95LatencyMs).toBe(8000);
  });

  it("shows the newest attempt that did not deliver as the last error, never one after NOW", async () => {
    const { lastError } = (await getIntegrationStatus(busy, { now: NOW }))!;
    expect(lastError).toEqual({ at: ago(minutes(30)), statusCode: null, message: "No answer within 15 s." });
    const earlier = (await getIntegrationStatus(busy, { now: ago(minutes(45)) }))!;
    expect(earlier.lastError).toMatchObject({ statusCode: 503, message: "The endpoint answered 503." });
  });

  it("measures propagation lag of consent changes delivered in each window, p50 and p95", async () => {
    const { lag } = (await getIntegrationStatus(busy, { now: NOW }))!;
    // 24 h: [1, 2, 3, 4] s. 7 days: [1, 2, 3, 4, 10, 20] s.
    expect(lag.last24h).toEqual({ count: 4, p50Ms: 2500, p95Ms: 3850 });
    expect(lag.last7d).toEqual({ count: 6, p50Ms: 3500, p95Ms: 17_500 });
  });

  it("gives an integration with no traffic zeros and no figures, and reads paused and disabled apart", async () => {
    const all = await listIntegrationStatuses({ now: NOW });
    expect(all.map((s) => s.id)).toEqual([busy, paused, gone]);
    const quiet = all[1]!;
    expect(quiet.counts).toEqual({ pending: 0, retrying: 0, delivered: 0, failed: 0 });
    expect(quiet.last24h).toEqual({ attempts: 0, delivered: 0, successRate: null, p95LatencyMs: null });
    expect(quiet.lastError).toBeNull();
    expect(quiet.lag).toEqual({ last24h: { count: 0, p50Ms: null, p95Ms: null }, last7d: { count: 0, p50Ms: null, p95Ms: null } });
    expect(quiet).toMatchObject({ connection: "paused", health: { health: "healthy" } });
    expect(all[2]).toMatchObject({ connection: "disabled", disabledReason: "The endpoint answered 410 Gone." });
  });

  it("answers null for an unknown or malformed id", async () => {
    for (const id of ["00000000-0000-4000-8000-00000000dead", "nope", "a\u0000b", "x".repeat(5000)]) {
      expect(await getIntegrationStatus(id)).toBeNull();
    }
  });
});
