import Link from "next/link";
import { Inbox, SearchX } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { KeysetPagination } from "@/components/ui/keyset-pagination";
import { SkeletonRows } from "@/components/ui/skeleton";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { listDeliveries, type DeliveryRow } from "@/lib/integrations/deliveries";
import { formatDateTime } from "@/lib/format";
import type { DeliveryLogFilters } from "@/lib/validations/deliveries";
import { formatDuration, relativeTo } from "./format";
import { retryableByHand } from "@/lib/delivery/schedule";
import { RetrySignalButton } from "./retry-controls";
import { kindDescription, SignalStatusBadge } from "./status-badges";

export const SIGNAL_DETAIL_ID = "signal-detail";

function Time({ at }: { at: Date }) {
  return (
    <time dateTime={at.toISOString()} className="whitespace-nowrap">
      {formatDateTime(at)}
    </time>
  );
}

/** When, beside the status: the next attempt, or when it was delivered or gave up. */
function StatusLine({ row, now }: { row: DeliveryRow; now: Date }) {
  if (row.status === "delivered" && row.deliveredAt) return <Time at={row.deliveredAt} />;
  if (row.status === "failed" && row.failedAt) return <Time at={row.failedAt} />;
  if (row.status === "pending" || row.status === "retrying") {
    const due = row.nextAttemptAt.getTime() <= now.getTime();
    return <span>{due ? "Next attempt due now" : `Next attempt ${relativeTo(row.nextAttemptAt, now)}`}</span>;
  }
  return null;
}

export function lastAnswer(statusCode: number | null, latencyMs: number | null, attempted: boolean): string {
  if (!attempted) return "Not sent yet";
  const answer = statusCode === null ? "No answer" : `HTTP ${statusCode}`;
  return latencyMs === null ? answer : `${answer} · ${formatDuration(latencyMs)}`;
}

function DeliveryHead() {
  return (
    <THead>
      <TR>
        <TH>Queued (UTC)</TH>
        <TH>Customer</TH>
        <TH>Signal</TH>
        <TH>Status</TH>
        <TH numeric>Attempts</TH>
        <TH>Last answer</TH>
        <TH>Receiver ref</TH>
        <TH>Last error</TH>
        <TH>
          <span className="sr-only">Actions</span>
        </TH>
      </TR>
    </THead>
  );
}

export function DeliveryLogSkeleton() {
  return (
    <div aria-busy="true" aria-live="polite">
      <p className="sr-only">Loading the delivery log…</p>
      <Table label="Delivery log (loading)">
        <DeliveryHead />
        <TBody>
          <SkeletonRows columns={9} rows={8} numericColumns={[4]} />
        </TBody>
      </Table>
    </div>
  );
}

export interface DeliveryLogProps {
  integrationId: string;
  integrationName: string;
  filters: DeliveryLogFilters;
  /** The filters as the URL spells them, for the paging links. */
  query: Record<string, string>;
  /** The filters and the page cursor as the URL spells them, for the attempts links (which keep the place). */
  here: Record<string, string>;
  canRetry: boolean;
  openSignal?: string;
}

/** The page with one signal's attempts open, keeping the log's filters and place. */
export function signalHref(path: string, here: Record<string, string>, signalId: string): string {
  const search = new URLSearchParams(Object.entries(here).filter(([k, v]) => v && k !== "signal"));
  search.set("signal", signalId);
  return `${path}?${search}#${SIGNAL_DETAIL_ID}`;
}

export async function DeliveryLog({ integrationId, integrationName, filters, query, here, canRetry, openSignal }: DeliveryLogProps) {
  const page = await listDeliveries(integrationId, filters);
  const now = new Date();
  const filtered = Boolean(filters.status || filters.kind || filters.from || filters.to);
  const path = `/integrations/${integrationId}`;

  return (
    <section aria-labelledby="delivery-log-heading" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="delivery-log-heading" className="text-base font-semibold text-fg">
          Delivery log
        </h2>
        <p className="text-xs text-muted" aria-live="polite">
          {page.rows.length === 0 ? "No signals on this page" : `Showing ${page.rows.length} on this page, newest first`}
        </p>
      </div>
      {page.rows.length === 0 ? (
        <EmptyState
          icon={filtered ? SearchX : Inbox}
          titleAs="h3"
          title={filtered ? "No signals match" : "No signals yet"}
          description={
            filtered
              ? "Try another status or kind, or a wider time range."
              : `Consent changes and deletions that concern ${integrationName} are queued here and sent as signed requests.`
          }
          action={
            filtered ? (
              <Button asChild variant="secondary" size="sm">
                <Link href={path}>Clear filters</Link>
              </Button>
            ) : undefined
          }
        />
      ) : (
        <Table label="Delivery log">
          <DeliveryHead />
          <TBody>
            {page.rows.map((row) => (
              <TR key={row.id} className="align-top" aria-current={row.id === openSignal ? "true" : undefined}>
                <TD className="align-top">
                  <Time at={row.createdAt} />
                </TD>
                <TD className="align-top">
                  {row.customer ? (
                    <Link
                      href={`/customers/${row.customer.id}`}
                      className="font-mono text-xs whitespace-nowrap text-accent hover:underline"
                    >
                      {row.customer.externalId ?? "No external id"}
                    </Link>
                  ) : (
                    <span className="text-xs text-muted italic">{row.kind === "test" ? "No customer (test)" : "Erased customer"}</span>
                  )}
                </TD>
                <TD className="min-w-44 align-top">
                  {kindDescription(row.kind, row.consent)}
                  <div>
                    <code className="text-xs text-muted" title="The webhook-id of every attempt">
                      {row.id}
                    </code>
                  </div>
                </TD>
                <TD className="align-top">
                  <SignalStatusBadge status={row.status} />
                  <div className="text-xs text-muted">
                    <StatusLine row={row} now={now} />
                  </div>
                </TD>
                <TD numeric className="align-top">
                  {row.attempts}
                  {row.attemptBase > 0 ? <div className="text-xs text-muted">retried by hand after {row.attemptBase}</div> : null}
                </TD>
                <TD className="align-top text-xs whitespace-nowrap">
                  {lastAnswer(row.lastStatusCode, row.lastLatencyMs, row.attempts > 0)}
                </TD>
                <TD className="align-top font-mono text-xs">{row.receiverRef ?? <span className="text-muted">—</span>}</TD>
                <TD className="max-w-64 align-top text-xs">
                  {row.lastError ? (
                    <span className="line-clamp-2 text-danger" title={row.lastError}>
                      {row.lastError}
                    </span>
                  ) : (
                    <span className="text-muted">—</span>
                  )}
                </TD>
                <TD className="align-top">
                  <div className="flex flex-col items-start gap-1">
                    <Link
                      href={signalHref(path, here, row.id)}
                      className="text-xs whitespace-nowrap text-accent hover:underline"
                      aria-label={`Attempts of signal ${row.id}`}
                    >
                      Attempts
                    </Link>
                    {canRetry && retryableByHand(row) ? <RetrySignalButton signalId={row.id} label={`Retry signal ${row.id}`} /> : null}
                  </div>
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
      <KeysetPagination path={path} filters={query} previous={page.previous} next={page.next} />
    </section>
  );
}
