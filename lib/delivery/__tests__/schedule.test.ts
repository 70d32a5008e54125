import { describe, expect, it } from "vitest";
import {
  decideOutcome,
  MAX_ATTEMPTS,
  nominalDelaySeconds,
  parseRetryAfter,
  retryableByHand,
  retryDelaySeconds,
  throttledFor,
} from "../schedule.ts";

const NOW = new Date("2026-12-01T12:00:00.000Z");
const after = (outcome: ReturnType<typeof decideOutcome>) =>
  outcome.outcome === "retry" ? (outcome.nextAttemptAt.getTime() - NOW.getTime()) / 1000 : null;

describe("the retry schedule", () => {
  it.each([
    [1, 60],
    [2, 192],
    [3, 614.4],
    [4, 1966.08],
    [5, 6291.456],
    [6, 20132.6592],
    [7, 64424.50944],
    [8, 86400],
    [9, 86400],
  ])("waits %i: %f s nominal", (attempt, seconds) => {
    expect(nominalDelaySeconds(attempt)).toBeCloseTo(seconds, 3);
  });

  it("spreads ten attempts over about three days", () => {
    let total = 0;
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) total += nominalDelaySeconds(attempt);
    expect(total / 86400).toBeGreaterThan(2.9);
    expect(total / 86400).toBeLessThan(3.2);
    // At the extremes of the jitter, still between 2.4 and 3.75 days.
    let low = 0;
    let high = 0;
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      low += retryDelaySeconds(attempt, 0);
      high += retryDelaySeconds(attempt, 0.999999);
    }
    expect(low / 86400).toBeGreaterThan(2.4);
    expect(high / 86400).toBeLessThan(3.75);
  });

  it("jitters each wait within ±20%", () => {
    expect(retryDelaySeconds(1, 0)).toBeCloseTo(48);
    expect(retryDelaySeconds(1, 0.5)).toBeCloseTo(60);
    expect(retryDelaySeconds(1, 0.999999)).toBeCloseTo(72, 3);
  });
});

describe("an attempt's outcome", () => {
  it.each([
    ["200", { status: 200 }, 1, "delivered"],
    ["204", { status: 204 }, 10, "delivered"],
    ["410 Gone", { status: 410 }, 1, "disabled"],
    ["500", { status: 500 }, 1, "retry"],
    ["400", { status: 400 }, 3, "retry"],
    ["301 (redirects are not followed)", { status: 301 }, 1, "retry"],
    ["a timeout", { status: null, error: "No answer within 15 s." }, 2, "retry"],
    ["500 on the last attempt", { status: 500 }, MAX_ATTEMPTS, "failed"],
    ["a timeout on the last attempt", { status: null, error: "x" }, MAX_ATTEMPTS, "failed"],
    ["410 on the last attempt", { status: 410 }, MAX_ATTEMPTS, "disabled"],
  ] as const)("%s → %s", (_name, result, attempt, outcome) => {
    expect(decideOutcome(result, attempt, NOW, 0.5).outcome).toBe(outcome);
  });

  it("retries a failure after the schedule's wait", () => {
    expect(after(decideOutcome({ status: 500 }, 1, NOW, 0.5))).toBe(60);
    expect(after(decideOutcome({ status: null, error: "x" }, 3, NOW, 0.5))).toBeCloseTo(614.4, 0);
  });

  // A throttling answer's Retry-After is a floor on the schedule's wait, never a shortcut (issue 16, item 5).
  it.each([
    ["429 with Retry-After longer than the wait", 1, 120, { status: 429, retryAfter: "120" }],
    ["503 with Retry-After shorter than the wait (the schedule)", 1, 60, { status: 503, retryAfter: "5" }],
    ["429 with Retry-After 1 (the schedule)", 1, 60, { status: 429, retryAfter: "1" }],
    ["503 with Retry-After 2, 5th attempt (the schedule)", 5, 6291.456, { status: 503, retryAfter: "2" }],
    ["429 with an HTTP date", 1, 600, { status: 429, retryAfter: "Tue, 01 Dec 2026 12:10:00 GMT" }],
    ["429 with an HTTP date shorter than the wait", 1, 60, { status: 429, retryAfter: "Tue, 01 Dec 2026 12:00:30 GMT" }],
    ["429 with an HTTP date in the past", 2, 192, { status: 429, retryAfter: "Tue, 01 Dec 2026 11:00:00 GMT" }],
    ["429 with Retry-After 0 (the schedule)", 1, 60, { status: 429, retryAfter: "0" }],
    ["429 asking for a week (at most a day)", 1, 86400, { status: 429, retryAfter: String(7 * 86400) }],
    ["503 asking for two hours on the 3rd attempt", 3, 7200, { status: 503, retryAfter: "7200" }],
    ["429 without Retry-After (the schedule)", 1, 60, { status: 429, retryAfter: null }],
    ["429 with garbage (the schedule)", 1, 60, { status: 429, retryAfter: "soon" }],
    ["500 with Retry-After (ignored)", 1, 60, { status: 500, retryAfter: "999" }],
  ] as const)("%s (attempt %i): next attempt in %f s", (_name, attempt, seconds, result) => {
    expect(after(decideOutcome(result, attempt, NOW, 0.5))).toBeCloseTo(seconds, 2);
  });

  it.each([0, 0.5, 0.999999])("never waits less than the schedule after a throttling answer (jitter draw %f)", (random) => {
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      for (const retryAfter of [null, "0", "1", "2", "59", "3600", "Tue, 01 Dec 2026 12:00:01 GMT"]) {
        for (const status of [429, 503]) {
          const wait = after(decideOutcome({ status, retryAfter }, attempt, NOW, random))!;
          expect(wait).toBeGreaterThanOrEqual(Math.floor(retryDelaySeconds(attempt, random)));
        }
      }
    }
  });

  it("lets a receiver that always answers 429 with Retry-After: 1 fail a signal only after the whole schedule, not in seconds", () => {
    let now = NOW;
    let attempt = 1;
    for (;;) {
      const outcome = decideOutcome({ status: 429, retryAfter: "1" }, attempt, now, 0.5);
      if (outcome.outcome !== "retry") {
        expect(outcome.outcome).toBe("failed");
        break;
      }
      now = outcome.nextAttemptAt;
      attempt += 1;
    }
    expect(attempt).toBe(MAX_ATTEMPTS);
    expect((now.getTime() - NOW.getTime()) / 86_400_000).toBeGreaterThan(3);
  });

  it("reads how long a throttling answer asks to wait", () => {
    expect(throttledFor({ status: 429, retryAfter: "30" }, NOW)).toBe(30);
    expect(throttledFor({ status: 503, retryAfter: String(7 * 86400) }, NOW)).toBe(86400);
    expect(throttledFor({ status: 429, retryAfter: null }, NOW)).toBe(0);
    expect(throttledFor({ status: 500, retryAfter: "30" }, NOW)).toBe(0);
    expect(throttledFor({ status: null, error: "x" }, NOW)).toBe(0);
  });

  it("reads Retry-After in both forms", () => {
    expect(parseRetryAfter("30", NOW)).toBe(30);
    expect(parseRetryAfter("Tue, 01 Dec 2026 11:00:00 GMT", NOW)).toBe(0);
    expect(parseRetryAfter("", NOW)).toBeNull();
    expect(parseRetryAfter(undefined, NOW)).toBeNull();
    expect(parseRetryAfter("-5", NOW)).toBeNull();
  });
});

describe("a retry by hand", () => {
  it.each([
    [{ status: "failed", kind: "consent_change" }, true],
    [{ status: "failed", kind: "delete" }, true],
    [{ status: "failed", kind: "test" }, false],
    [{ status: "retrying", kind: "consent_change" }, false],
    [{ status: "pending", kind: "consent_change" }, false],
    [{ status: "delivered", kind: "consent_change" }, false],
  ])("%o → %s", (signal, allowed) => {
    expect(retryableByHand(signal)).toBe(allowed);
  });
});
