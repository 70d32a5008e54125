// When a deletion request is due (issue 11, item 4), in one place. Pure.
//
// GDPR Art. 12(3): "within one month of receipt", extendable "by two further
// months". A month runs to the same day of the next month, or to that
// month's last day when it has no such day (31 January → 28 or 29 February),
// and the request is due at the end of that day. CCPA (Cal. Civ. Code
// §1798.130(a)(2)): 45 calendar days, extendable once by up to 45 more.
// Days are calendar days where the business is (the time zone passed in, UTC
// unless given): a request received at 23:30 in Berlin counts from that Berlin
// date. The first piece of the deletions issue; its requests will call this.

export const REGIMES = ["gdpr", "ccpa"] as const;
export type Regime = (typeof REGIMES)[number];

export const MAX_EXTENSION: Record<Regime, { unit: "months" | "days"; max: number }> = {
  gdpr: { unit: "months", max: 2 },
  ccpa: { unit: "days", max: 45 },
};

/** How close a due date must be to count as due soon. */
export const DUE_SOON_DAYS = 7;

type CalendarDate = { year: number; month: number; day: number }; // month 1–12

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The calendar date of `at` in `timeZone`. */
export function calendarDate(at: Date, timeZone: string): CalendarDate {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return { year: get("year"), month: get("month"), day: get("day") };
}

/** `months` calendar months after `date`: the same day, or the target month's last day when it is shorter. */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const index = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return { year, month, day: Math.min(date.day, daysInMonth(year, month)) };
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** The zone's offset from UTC at `at`, in minutes (Berlin in winter: 60). */
function offsetMinutes(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const local = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return Math.round((local - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** The last millisecond of `date` in `timeZone` (23:59:59.999 there), as an instant; DST-safe. */
export function endOfDay(date: CalendarDate, timeZone: string): Date {
  const wall = Date.UTC(date.year, date.month - 1, date.day, 23, 59, 59, 999);
  let instant = wall - offsetMinutes(new Date(wall), timeZone) * 60_000;
  // Once more at the found instant: the offset at the end of the day may differ from the one at its wall time in UTC.
  instant = wall - offsetMinutes(new Date(instant), timeZone) * 60_000;
  return new Date(instant);
}

export interface DueInput {
  regime: Regime;
  receivedAt: Date;
  /** GDPR: further months (0–2); CCPA: further days (0–45). */
  extension?: number;
  timeZone?: string;
}

/** When a request must be completed: the end of its last day, in the business's time zone. */
export function dueAt({ regime, receivedAt, extension = 0, timeZone = "UTC" }: DueInput): Date {
  const { max } = MAX_EXTENSION[regime];
  if (!Number.isInteger(extension) || extension < 0 || extension > max) throw new RangeError(`extension must be 0–${max}`);
  const received = calendarDate(receivedAt, timeZone);
  // Counted from receipt, not from the first due date: 31 January + 3 months is 30 April, not 28 April.
  const last = regime === "gdpr" ? addMonths(received, 1 + extension) : addDays(received, 45 + extension);
  return endOfDay(last, timeZone);
}

export type DeadlineState = "overdue" | "due_soon" | "on_track";

/** Where a request stands against its due date at `now`; a completed request is never overdue. */
export function deadlineState(due: Date, now: Date, completed = false): DeadlineState {
  if (completed) return "on_track";
  if (now > due) return "overdue";
  return due.getTime() - now.getTime() <= DUE_SOON_DAYS * 86_400_000 ? "due_soon" : "on_track";
}
