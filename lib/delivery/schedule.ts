// The retry rule, in one place (issue 10, item 4; README "Delivery and
// retries"): which answer ends a signal, and when the next attempt is due.
// Pure: the caller passes the time and the jitter's random number.

/** Attempts per signal, the first included. */
export const MAX_ATTEMPTS = 10;
/** A request's time limit. */
export const REQUEST_TIMEOUT_MS = 15_000;

const BASE_DELAY_S = 60;
const FACTOR = 3.2;
const MAX_DELAY_S = 24 * 60 * 60;
/** Each wait is drawn from ±20% of its nominal value, so failed signals do not all come back at once. */
const JITTER = 0.2;

/**
 * The nominal wait in seconds after failed attempt `attempt` (1-based):
 * 1 min, 3.2 min, 10 min, 33 min, 1.7 h, 5.6 h, 17.9 h, then 24 h. The nine
 * waits between ten attempts add up to 3.08 days.
 */
export function nominalDelaySeconds(attempt: number): number {
  return Math.min(MAX_DELAY_S, BASE_DELAY_S * FACTOR ** (attempt - 1));
}

/** The wait with jitter; `random` in [0, 1). */
export function retryDelaySeconds(attempt: number, random: number): number {
  return nominalDelaySeconds(attempt) * (1 - JITTER + 2 * JITTER * random);
}

/** Retry-After as seconds from `now`: delay-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | null {
  const text = value?.trim();
  if (!text) return null;
  if (/^\d+$/.test(text)) return Number(text);
  // An HTTP date (IMF-fixdate, as RFC 9110 has servers send it); Date.parse alone would read "-5" as a year.
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text)) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, (at - now.getTime()) / 1000);
}

/** What one attempt came to: an HTTP status, or no answer at all (timeout, refused, a forbidden address). */
export type AttemptResult = { status: number; retryAfter?: string | null } | { status: null; error: string };

export type Outcome =
  /** 2xx: done. */
  | { outcome: "delivered" }
  /** Try again at `nextAttemptAt`. */
  | { outcome: "retry"; nextAttemptAt: Date; reason: string }
  /** The last attempt failed: the signal stays failed until a person retries it. */
  | { outcome: "failed"; reason: string }
  /** 410 Gone: the integration is disabled and its queue stops. */
  | { outcome: "disabled"; reason: string };

/** The rule for one attempt's result: `attempt` is its number (1-based), `random` the jitter's draw in [0, 1). */
export function decideOutcome(result: AttemptResult, attempt: number, now: Date, random: number): Outcome {
  if (result.status !== null && result.status >= 200 && result.status < 300) return { outcome: "delivered" };
  if (result.status === 410) return { outcome: "disabled", reason: "The endpoint answered 410 Gone: the integration was disabled." };
  const reason = result.status === null ? result.error : `The endpoint answered ${result.status}.`;
  if (attempt >= MAX_ATTEMPTS) return { outcome: "failed", reason };
  const delay = Math.max(retryDelaySeconds(attempt, random), throttledFor(result, now));
  return { outcome: "retry", nextAttemptAt: new Date(now.getTime() + Math.round(delay * 1000)), reason };
}

/**
 * How long a throttling answer (429, 503) asks us to stay away: its
 * Retry-After, at most a day; 0 for any other answer. Only ever a floor on
 * the schedule's wait, never a shortcut: a receiver answering `Retry-After: 1`
 * would otherwise spend all ten attempts in seconds and fail a signal the
 * product promises to retry for three days (issue 16, item 5).
 */
export function throttledFor(result: AttemptResult, now: Date): number {
  if (result.status !== 429 && result.status !== 503) return 0;
  return Math.min(MAX_DELAY_S, parseRetryAfter(result.retryAfter, now) ?? 0);
}

/**
 * Whether a person may retry a signal by hand: a failed one, never a test
 * signal (sent once while an admin waits). lib/delivery/retry.ts holds its
 * statements to the same rule.
 */
export function retryableByHand(signal: { status: string; kind: string }): boolean {
  return signal.status === "failed" && signal.kind !== "test";
}
