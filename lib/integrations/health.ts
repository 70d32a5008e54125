// How an integration's state reads at a glance (issue 10, item 5): whether it
// is sending at all, and how its deliveries are going. Pure, so the list, the
// detail page and the tests read one rule.

export type Connection = "connected" | "paused" | "disabled";
export type Health = "healthy" | "retrying" | "failing";

export interface SignalCounts {
  pending: number;
  retrying: number;
  delivered: number;
  failed: number;
}

/**
 * Connected; paused by a person (enabled off); or disabled by the endpoint (a
 * 410 Gone sets disabled_at and disabled_reason; a resume clears them) — the
 * rule lib/integrations/manage.ts gives Settings too.
 */
export function connectionOf(integration: { enabled: boolean; disabledAt: Date | null }): Connection {
  if (integration.enabled) return "connected";
  return integration.disabledAt ? "disabled" : "paused";
}

export interface HealthVerdict {
  health: Health;
  /** One sentence saying why, for beside the badge. */
  reason: string;
}

const signals = (n: number) => `${n.toLocaleString("en-US")} ${n === 1 ? "signal" : "signals"}`;

/**
 * Failing while any signal has failed (it waits for a person); retrying while
 * any is between attempts; otherwise healthy. Pending signals are the normal
 * queue and say nothing about health.
 */
export function healthOf(counts: SignalCounts): HealthVerdict {
  if (counts.failed > 0)
    return {
      health: "failing",
      reason: `${signals(counts.failed)} failed after every attempt and ${counts.failed === 1 ? "waits" : "wait"} for a retry by hand.`,
    };
  if (counts.retrying > 0)
    return { health: "retrying", reason: `${signals(counts.retrying)} could not be delivered yet and will be tried again.` };
  return { health: "healthy", reason: "Nothing failed and nothing is waiting for another attempt." };
}

/** Delivered attempts over all attempts, or null with no attempts in the window. */
export function successRate(attempts: number, delivered: number): number | null {
  return attempts > 0 ? delivered / attempts : null;
}
