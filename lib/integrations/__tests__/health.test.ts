import { describe, expect, it } from "vitest";
import { connectionOf, healthOf, successRate } from "../health.ts";

const counts = (c: Partial<Record<"pending" | "retrying" | "delivered" | "failed", number>>) => ({
  pending: 0,
  retrying: 0,
  delivered: 0,
  failed: 0,
  ...c,
});

describe("health at a glance", () => {
  it.each([
    [counts({}), "healthy"],
    [counts({ pending: 40, delivered: 1_000 }), "healthy"],
    [counts({ retrying: 1 }), "retrying"],
    [counts({ retrying: 5, failed: 1 }), "failing"],
    [counts({ failed: 2, delivered: 10_000 }), "failing"],
  ] as const)("%o is %s", (c, health) => {
    expect(healthOf(c).health).toBe(health);
    expect(healthOf(c).reason).toMatch(/\.$/);
  });

  it("says how many, in words", () => {
    expect(healthOf(counts({ failed: 1 })).reason).toBe("1 signal failed after every attempt and waits for a retry by hand.");
    expect(healthOf(counts({ failed: 3 })).reason).toBe("3 signals failed after every attempt and wait for a retry by hand.");
    expect(healthOf(counts({ retrying: 1_234 })).reason).toContain("1,234 signals");
  });

  it.each([
    [{ enabled: true, disabledAt: null }, "connected"],
    [{ enabled: false, disabledAt: null }, "paused"],
    [{ enabled: false, disabledAt: new Date("2026-12-01T10:00:00Z") }, "disabled"],
    // A resume clears it; were it left, enabled still wins.
    [{ enabled: true, disabledAt: new Date("2026-12-01T10:00:00Z") }, "connected"],
  ] as const)("%o reads %s", (i, connection) => {
    expect(connectionOf(i)).toBe(connection);
  });

  it("rates success only when there were attempts", () => {
    expect(successRate(0, 0)).toBeNull();
    expect(successRate(4, 3)).toBe(0.75);
  });
});
