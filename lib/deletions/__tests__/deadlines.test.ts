import { describe, expect, it } from "vitest";
import { addMonths, deadlineState, dueAt, endOfDay } from "../deadlines.ts";

const at = (iso: string) => new Date(iso);

describe("GDPR: one calendar month from receipt (Art. 12(3))", () => {
  it.each([
    ["the same day next month", "2026-03-10T09:00:00Z", 0, "2026-04-10T23:59:59.999Z"],
    ["31 January → the last day of February", "2026-01-31T12:00:00Z", 0, "2026-02-28T23:59:59.999Z"],
    ["31 January in a leap year → 29 February", "2028-01-31T12:00:00Z", 0, "2028-02-29T23:59:59.999Z"],
    ["30 January in a leap year → 29 February", "2028-01-30T12:00:00Z", 0, "2028-02-29T23:59:59.999Z"],
    ["29 February → 29 March", "2028-02-29T12:00:00Z", 0, "2028-03-29T23:59:59.999Z"],
    ["31 March → 30 April", "2026-03-31T12:00:00Z", 0, "2026-04-30T23:59:59.999Z"],
    ["December → January of the next year", "2026-12-15T08:00:00Z", 0, "2027-01-15T23:59:59.999Z"],
    ["31 August → 30 September", "2026-08-31T00:00:00Z", 0, "2026-09-30T23:59:59.999Z"],
    ["extended by two months, counted from receipt", "2026-01-31T12:00:00Z", 2, "2026-04-30T23:59:59.999Z"],
    ["extended by one month", "2026-11-30T12:00:00Z", 1, "2027-01-30T23:59:59.999Z"],
    ["received at the last millisecond of a day", "2026-05-31T23:59:59.999Z", 0, "2026-06-30T23:59:59.999Z"],
  ])("%s", (_name, received, extension, due) => {
    expect(dueAt({ regime: "gdpr", receivedAt: at(received), extension }).toISOString()).toBe(due);
  });
});

describe("CCPA: 45 calendar days, extendable by up to 45 more", () => {
  it.each([
    ["45 days", "2026-01-01T10:00:00Z", 0, "2026-02-15T23:59:59.999Z"],
    ["across the end of February in a leap year", "2028-02-01T10:00:00Z", 0, "2028-03-17T23:59:59.999Z"],
    ["across the end of February in a common year", "2026-02-01T10:00:00Z", 0, "2026-03-18T23:59:59.999Z"],
    ["across the new year", "2026-12-01T10:00:00Z", 0, "2027-01-15T23:59:59.999Z"],
    ["extended by the full 45 days", "2026-01-01T10:00:00Z", 45, "2026-04-01T23:59:59.999Z"],
  ])("%s", (_name, received, extension, due) => {
    expect(dueAt({ regime: "ccpa", receivedAt: at(received), extension }).toISOString()).toBe(due);
  });
});

describe("time zones: days are the business's calendar days", () => {
  it.each([
    // 23:30 UTC on 31 Jan is already 1 Feb in Berlin: due at the end of 1 March there (UTC+1).
    ["Berlin, received late on 31 January UTC", "gdpr", "2026-01-31T23:30:00Z", "Europe/Berlin", "2026-03-01T22:59:59.999Z"],
    // The same instant is 31 January in Los Angeles: due at the end of 28 February there (UTC-8).
    ["Los Angeles, the same instant", "gdpr", "2026-01-31T23:30:00Z", "America/Los_Angeles", "2026-03-01T07:59:59.999Z"],
    // Received in winter, due after the spring DST change: the end of the day in summer time (UTC+2).
    ["Berlin across the DST change", "gdpr", "2026-03-20T12:00:00Z", "Europe/Berlin", "2026-04-20T21:59:59.999Z"],
    ["New York, CCPA across the DST change", "ccpa", "2026-10-01T12:00:00Z", "America/New_York", "2026-11-16T04:59:59.999Z"],
    ["Kiritimati (UTC+14)", "ccpa", "2026-01-01T09:59:59Z", "Pacific/Kiritimati", "2026-02-15T09:59:59.999Z"],
  ] as const)("%s", (_name, regime, received, timeZone, due) => {
    expect(dueAt({ regime, receivedAt: at(received), timeZone }).toISOString()).toBe(due);
  });

  it("ends a day whose midnight is skipped or repeated at its own 23:59:59.999", () => {
    // Chile moves its clocks at midnight (6 September 2026, UTC-4 → UTC-3): the day before still ends at 23:59:59.999 UTC-4.
    expect(endOfDay({ year: 2026, month: 9, day: 5 }, "America/Santiago").toISOString()).toBe("2026-09-06T03:59:59.999Z");
  });
});

describe("extensions out of range are refused", () => {
  it.each([
    ["gdpr", 3],
    ["gdpr", -1],
    ["gdpr", 1.5],
    ["ccpa", 46],
  ] as const)("%s + %s", (regime, extension) => {
    expect(() => dueAt({ regime, receivedAt: at("2026-01-01T00:00:00Z"), extension })).toThrow(RangeError);
  });
});

describe("addMonths", () => {
  it("clamps to the target month's last day and carries the year", () => {
    expect(addMonths({ year: 2026, month: 1, day: 31 }, 1)).toEqual({ year: 2026, month: 2, day: 28 });
    expect(addMonths({ year: 2026, month: 11, day: 30 }, 3)).toEqual({ year: 2027, month: 2, day: 28 });
    expect(addMonths({ year: 2027, month: 12, day: 31 }, 2)).toEqual({ year: 2028, month: 2, day: 29 });
  });
});

describe("deadline state", () => {
  const due = at("2026-03-10T23:59:59.999Z");
  it.each([
    ["after the due date", "2026-03-11T00:00:00Z", false, "overdue"],
    ["on the due day", "2026-03-10T12:00:00Z", false, "due_soon"],
    ["seven days before", "2026-03-03T23:59:59.999Z", false, "due_soon"],
    ["eight days before", "2026-03-02T12:00:00Z", false, "on_track"],
    ["completed, even late", "2026-04-01T00:00:00Z", true, "on_track"],
  ] as const)("%s → %s", (_name, now, completed, state) => {
    expect(deadlineState(due, at(now), completed)).toBe(state);
  });
});
