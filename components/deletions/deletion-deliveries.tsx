import { Unplug } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { RetrySignalButton } from "@/components/integrations/retry-controls";
import { ConnectionBadge, SignalStatusBadge } from "@/components/integrations/status-badges";
import { retryableByHand } from "@/lib/delivery/schedule";
import type { DeletionDelivery } from "@/lib/deletions/queries";
import { formatDateTime } from "@/lib/format";

/** Each integration's delete signal: its state, attempts, the last answer and the receiver's acknowledgement. */
export function DeletionDeliveries({ deliveries, canRetry }: { deliveries: readonly DeletionDelivery[]; canRetry: boolean }) {
  return (
    <section aria-labelledby="deliveries-heading" className="flex flex-col gap-3">
      <h2 id="deliveries-heading" className="text-base font-semibold text-fg">
        Integrations told
      </h2>
      {deliveries.length === 0 ? (
        <EmptyState
          icon={Unplug}
          titleAs="h3"
          title="No integration to tell"
          description="No integration was connected when the customer was erased (or the erasure has not run yet), so no delete signal was queued."
        />
      ) : (
        <Table label="Delete signal per integration">
          <THead>
            <TR>
              <TH>Integration</TH>
              <TH>Signal</TH>
              <TH numeric>Attempts</TH>
              <TH>Last answer</TH>
              <TH>Acknowledged</TH>
              <TH>Receiver ref</TH>
              <TH>Last error</TH>
              <TH>
                <span className="sr-only">Actions</span>
              </TH>
            </TR>
          </THead>
          <TBody>
            {deliveries.map((d) => (
              <TR key={d.signalId} className="align-top">
                <TD className="align-top">
                  <div className="font-medium">{d.integration.name}</div>
                  {d.integration.connection !== "connected" ? <ConnectionBadge connection={d.integration.connection} /> : null}
                </TD>
                <TD className="align-top">
                  <SignalStatusBadge status={d.status} />
                  {d.nextAttemptAt ? (
                    <div className="text-xs whitespace-nowrap text-muted">Next attempt {formatDateTime(d.nextAttemptAt)}</div>
                  ) : null}
                </TD>
                <TD numeric className="align-top">
                  {d.attempts}
                </TD>
                <TD className="align-top text-xs whitespace-nowrap">
                  {d.attempts === 0 ? "Not sent yet" : d.lastStatusCode === null ? "No answer" : `HTTP ${d.lastStatusCode}`}
                </TD>
                <TD className="align-top text-xs whitespace-nowrap">
                  {d.deliveredAt ? (
                    <time dateTime={d.deliveredAt.toISOString()}>{formatDateTime(d.deliveredAt)}</time>
                  ) : (
                    <span className="text-muted">Not yet</span>
                  )}
                </TD>
                <TD className="align-top font-mono text-xs">{d.receiverRef ?? <span className="text-muted">—</span>}</TD>
                <TD className="max-w-64 align-top text-xs">
                  {d.lastError ? (
                    <span className="line-clamp-2 text-danger" title={d.lastError}>
                      {d.lastError}
                    </span>
                  ) : (
                    <span className="text-muted">—</span>
                  )}
                </TD>
                <TD className="align-top">
                  {canRetry && retryableByHand(d) ? (
                    <RetrySignalButton signalId={d.signalId} label={`Retry the delete signal to ${d.integration.name}`} refreshOnSuccess />
                  ) : null}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </section>
  );
}
