import { describe, expect, it } from "vitest";
import { formatDuration, formatPercent, relativeTo } from "./format";

describe("figures as a person reads them", () => {
  it.each([
    [0, "0 ms"],
    [850.4, "850 ms"],
    [4_249, "4.2 s"],
    [42_000, "42 s"],
    [192_000, "3 min 12 s"],
    [180_000, "3 min"],
    [7_500_000, "2 h 5 min"],
    [97_200_000, "1 d 3 h"],
    [86_400_000, "1 d"],
  ])("%d ms is %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it.each([
    [1, "100%"],
    [0, "0%"],
    [0.975, "97.5%"],
    [0.5, "50%"],
    [0.99996, "99.9%"],
    [2 / 3, "66.7%"],
  ])("%d is %s", (rate, text) => {
    expect(formatPercent(rate)).toBe(text);
  });

  it("says when, relative to now", () => {
    const now = new Date("2026-12-01T12:00:00Z");
    expect(relativeTo(new Date("2026-12-01T12:24:00Z"), now)).toBe("in 24 min");
    expect(relativeTo(new Date("2026-12-01T09:00:00Z"), now)).toBe("3 h ago");
    expect(relativeTo(now, now)).toBe("now");
  });
});
