import { z } from "zod";

// The one range every timestamp input is held to. PostgreSQL cannot store
// year 0 or 10000 (and JavaScript dates reach +275760): a date outside this
// range is a client's mistake, refused by name before any query runs.

/** Nothing this app records predates it. */
export const EARLIEST_TIME = new Date("2000-01-01T00:00:00Z");
/** Filters and views may look ahead (a `to` date, an `asOf`), but not past this. */
export const LATEST_TIME = new Date("2100-01-01T00:00:00Z");

export const inTimeRange = (at: Date): boolean =>
  !Number.isNaN(at.getTime()) && at.getTime() >= EARLIEST_TIME.getTime() && at.getTime() < LATEST_TIME.getTime();

export const TIME_RANGE_MESSAGE = "must be between 2000-01-01 and 2099-12-31";

export interface InstantOptions {
  /** Refused when before this (default EARLIEST_TIME). */
  earliest?: Date;
  earliestMessage?: string;
  /** Refused when more than this many ms after the server's clock (default: only LATEST_TIME). */
  maxFutureMs?: number;
  futureMessage?: string;
  /** The format message. */
  error?: string;
}

/** An ISO 8601 date-time with a zone (kept as the string sent), in range. */
export function isoInstant(options: InstantOptions = {}) {
  const earliest = options.earliest ?? EARLIEST_TIME;
  return z.iso
    .datetime({ offset: true, error: options.error ?? "An ISO 8601 date-time with a time zone." })
    .refine((v) => Date.parse(v) >= earliest.getTime(), options.earliestMessage ?? TIME_RANGE_MESSAGE)
    .refine((v) => Date.parse(v) < LATEST_TIME.getTime(), options.futureMessage ?? TIME_RANGE_MESSAGE)
    .refine(
      (v) => options.maxFutureMs === undefined || Date.parse(v) <= Date.now() + options.maxFutureMs,
      options.futureMessage ?? TIME_RANGE_MESSAGE,
    );
}

/** A calendar day as YYYY-MM-DD, in range. */
export function isoDay(message = "must be a date as YYYY-MM-DD") {
  return z.iso.date(message).refine((v) => inTimeRange(new Date(`${v}T00:00:00Z`)), TIME_RANGE_MESSAGE);
}

/** A filter's `to` must come after its `from` (both optional): the issue goes on `to`. */
export const fromBeforeTo = (p: { from?: unknown; to?: unknown }, ctx: z.RefinementCtx) => {
  if (p.from instanceof Date && p.to instanceof Date && p.from.getTime() >= p.to.getTime())
    ctx.addIssue({ code: "custom", path: ["to"], message: "must be after the from time" });
};
