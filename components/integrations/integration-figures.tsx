import type { ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import type { IntegrationStatus, LagFigures } from "@/lib/integrations/status";
import { formatDateTime, plural } from "@/lib/format";
import { formatDuration, formatPercent, relativeTo } from "./format";
import { ConnectionBadge, HealthBadge } from "./status-badges";

function Figure({ label, children, hint, tone }: { label: string; children: ReactNode; hint?: ReactNode; tone?: "danger" | "warning" }) {
  return (
    <div className="flex min-w-0 flex-col gap-0.5 rounded-md border border-border bg-surface px-3 py-2">
      <dt className="text-xs text-muted">{label}</dt>
      <dd
        className={cn(
          "text-base font-semibold text-fg tabular-nums",
          tone === "danger" && "text-danger",
          tone === "warning" && "text-warning",
        )}
      >
        {children}
      </dd>
      {hint ? <dd className="text-xs text-muted">{hint}</dd> : null}
    </div>
  );
}

/** The message, with the HTTP status before it unless the message already says it. */
export function errorText(statusCode: number | null, message: string | null): string {
  const status = statusCode === null ? null : `HTTP ${statusCode}`;
  if (!message) return status ?? "No answer";
  return status && !message.includes(String(statusCode)) ? `${status}: ${message}` : message;
}

const none = <span className="text-sm font-normal text-muted">—</span>;

function lag(figures: LagFigures) {
  if (figures.count === 0 || figures.p50Ms === null || figures.p95Ms === null) return { value: none, hint: "No consent change delivered" };
  return {
    value: (
      <>
        {formatDuration(figures.p50Ms)} <span className="text-xs font-normal text-muted">/</span> {formatDuration(figures.p95Ms)}
      </>
    ),
    hint: `p50 / p95 of ${plural(figures.count, "consent change")}`,
  };
}

/** The status line: connection and delivery health, with why. */
export function IntegrationStatusLine({ status }: { status: IntegrationStatus }) {
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      <ConnectionBadge connection={status.connection} />
      <HealthBadge health={status.health.health} />
      <span className="text-muted">{status.health.reason}</span>
      {status.connection === "disabled" && status.disabledReason ? (
        <span className="w-full text-xs text-danger">
          {status.disabledReason}
          {status.disabledAt ? ` (${formatDateTime(status.disabledAt)})` : null} Nothing is sent until an admin resumes it.
        </span>
      ) : status.connection === "paused" ? (
        <span className="w-full text-xs text-muted">Paused: nothing is sent until an admin resumes it.</span>
      ) : null}
    </div>
  );
}

/** Every figure of one integration, in a grid that wraps to two columns on a phone. */
export function IntegrationFigures({ status, now, headingLevel = 3 }: { status: IntegrationStatus; now: Date; headingLevel?: 2 | 3 }) {
  const { counts, last24h, lastError } = status;
  const day = lag(status.lag.last24h);
  const week = lag(status.lag.last7d);
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const headingClass = "text-xs font-medium tracking-wide text-muted uppercase";
  return (
    <div className="flex flex-col gap-3">
      <section aria-label={`${status.name}: signals by status`} className="flex flex-col gap-1.5">
        <Heading className={headingClass}>Signals</Heading>
        <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4">
          <Figure label="Pending">{counts.pending.toLocaleString("en-US")}</Figure>
          <Figure label="Retrying" tone={counts.retrying > 0 ? "warning" : undefined}>
            {counts.retrying.toLocaleString("en-US")}
          </Figure>
          <Figure label="Delivered">{counts.delivered.toLocaleString("en-US")}</Figure>
          <Figure label="Failed" tone={counts.failed > 0 ? "danger" : undefined}>
            {counts.failed.toLocaleString("en-US")}
          </Figure>
        </dl>
      </section>
      <section aria-label={`${status.name}: delivery performance`} className="flex flex-col gap-1.5">
        <Heading className={headingClass}>Deliveries</Heading>
        <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4">
          <Figure
            label="Success rate, 24 h"
            hint={
              last24h.attempts > 0
                ? `${last24h.delivered.toLocaleString("en-US")} of ${plural(last24h.attempts, "attempt")}`
                : "No attempts in 24 h"
            }
          >
            {last24h.successRate === null ? none : formatPercent(last24h.successRate)}
          </Figure>
          <Figure label="p95 latency, 24 h">{last24h.p95LatencyMs === null ? none : formatDuration(last24h.p95LatencyMs)}</Figure>
          <Figure label="Propagation lag, 24 h" hint={day.hint}>
            {day.value}
          </Figure>
          <Figure label="Propagation lag, 7 days" hint={week.hint}>
            {week.value}
          </Figure>
        </dl>
      </section>
      <p className="text-sm">
        <span className="text-muted">Last error: </span>
        {lastError ? (
          <>
            <time dateTime={lastError.at.toISOString()} className="text-fg">
              {formatDateTime(lastError.at)}
            </time>{" "}
            <span className="text-muted">({relativeTo(lastError.at, now)})</span>
            {" · "}
            <span className="text-danger">{errorText(lastError.statusCode, lastError.message)}</span>
          </>
        ) : (
          <span className="text-muted">none</span>
        )}
      </p>
    </div>
  );
}
