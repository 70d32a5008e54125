import { Fragment } from "react";
import Link from "next/link";
import { X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { getSignalDetail } from "@/lib/integrations/deliveries";
import { formatDateTime } from "@/lib/format";
import { formatDuration, relativeTo } from "./format";
import { SIGNAL_DETAIL_ID } from "./delivery-log";
import { retryableByHand } from "@/lib/delivery/schedule";
import { RetrySignalButton } from "./retry-controls";
import { kindDescription, OutcomeBadge, SignalStatusBadge } from "./status-badges";

const HEADING_ID = `${SIGNAL_DETAIL_ID}-heading`;

/** One signal of the log with every attempt: what was sent when, what came back, and the receiver's reference. */
export async function SignalDetail({
  integrationId,
  signalId,
  closeHref,
  canRetry,
}: {
  integrationId: string;
  signalId: string;
  closeHref: string;
  canRetry: boolean;
}) {
  const detail = await getSignalDetail(integrationId, signalId);
  const now = new Date();
  const close = (
    <Button asChild variant="ghost" size="sm">
      <Link href={closeHref}>
        <X aria-hidden="true" />
        Close
      </Link>
    </Button>
  );
  if (!detail) {
    return (
      <section id={SIGNAL_DETAIL_ID} aria-label="Signal">
        <EmptyState
          titleAs="h2"
          title="No such signal in this log"
          description="The signal in the address belongs to another integration or no longer exists."
          action={close}
        />
      </section>
    );
  }
  const { signal, attempts } = detail;
  const waiting = signal.status === "pending" || signal.status === "retrying";
  return (
    <section
      id={SIGNAL_DETAIL_ID}
      aria-labelledby={HEADING_ID}
      className="flex flex-col gap-3 rounded-lg border border-border bg-surface-muted/40 p-4"
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="flex flex-col gap-1">
          <h2 id={HEADING_ID} className="text-base font-semibold text-fg">
            Attempts of this signal
          </h2>
          <p className="text-sm">
            {kindDescription(signal.kind, signal.consent)}
            {signal.customer ? (
              <>
                {" for "}
                <Link href={`/customers/${signal.customer.id}`} className="font-mono text-accent hover:underline">
                  {signal.customer.externalId ?? "a customer without an external id"}
                </Link>
              </>
            ) : (
              <span className="text-muted"> for an erased customer</span>
            )}
          </p>
        </div>
        <div className="flex items-center gap-2">
          {canRetry && retryableByHand(signal) ? <RetrySignalButton signalId={signal.id} label="Retry this signal" /> : null}
          {close}
        </div>
      </div>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_1fr_auto_1fr]">
        <dt className="text-muted">Webhook id</dt>
        <dd className="font-mono text-xs break-all">{signal.id}</dd>
        <dt className="text-muted">Status</dt>
        <dd className="flex flex-wrap items-center gap-2">
          <SignalStatusBadge status={signal.status} />
          {waiting ? <span className="text-xs text-muted">next attempt {relativeTo(signal.nextAttemptAt, now)}</span> : null}
        </dd>
        <dt className="text-muted">Queued</dt>
        <dd>{formatDateTime(signal.createdAt)}</dd>
        <dt className="text-muted">{signal.status === "failed" ? "Failed" : "Delivered"}</dt>
        <dd>
          {signal.status === "failed" && signal.failedAt
            ? formatDateTime(signal.failedAt)
            : signal.deliveredAt
              ? formatDateTime(signal.deliveredAt)
              : "not yet"}
        </dd>
        <dt className="text-muted">Receiver ref</dt>
        <dd className="font-mono text-xs">{signal.receiverRef ?? "—"}</dd>
        <dt className="text-muted">Attempts</dt>
        <dd>
          {signal.attempts}
          {signal.attemptBase > 0 ? ` (the schedule restarted after ${signal.attemptBase}, retried by hand)` : ""}
        </dd>
      </dl>
      {attempts.length === 0 ? (
        <p className="text-sm text-muted">No attempt yet: the signal is waiting for a worker.</p>
      ) : (
        <Table label="Attempts, oldest first" wrapperClassName="max-h-none">
          <THead>
            <TR>
              <TH numeric>#</TH>
              <TH>Started (UTC)</TH>
              <TH>Outcome</TH>
              <TH>Answer</TH>
              <TH numeric>Latency</TH>
              <TH>Error</TH>
              <TH>Receiver ref</TH>
            </TR>
          </THead>
          <TBody>
            {attempts.map((a) => (
              <Fragment key={`${a.attempt}-${a.startedAt.toISOString()}`}>
                {signal.attemptBase > 0 && a.attempt === signal.attemptBase + 1 ? (
                  <TR>
                    <TD colSpan={7} className="bg-accent-subtle text-xs text-fg">
                      Retried by hand: the schedule starts again from here, under the same webhook id.
                    </TD>
                  </TR>
                ) : null}
                <TR className="align-top">
                  <TD numeric>{a.attempt}</TD>
                  <TD>
                    <time dateTime={a.startedAt.toISOString()} className="whitespace-nowrap">
                      {formatDateTime(a.startedAt)}
                    </time>
                  </TD>
                  <TD>
                    <OutcomeBadge outcome={a.outcome} />
                  </TD>
                  <TD className="text-xs whitespace-nowrap">{a.statusCode === null ? "No answer" : `HTTP ${a.statusCode}`}</TD>
                  <TD numeric className="text-xs">
                    {formatDuration(a.latencyMs)}
                  </TD>
                  <TD className="max-w-80 text-xs">
                    {a.error ? <span className="text-danger">{a.error}</span> : <span className="text-muted">—</span>}
                  </TD>
                  <TD className="font-mono text-xs">{a.receiverRef ?? <span className="text-muted">—</span>}</TD>
                </TR>
              </Fragment>
            ))}
          </TBody>
        </Table>
      )}
    </section>
  );
}
