import Link from "next/link";
import { Inbox, SearchX } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { KeysetPagination } from "@/components/ui/keyset-pagination";
import { SkeletonRows } from "@/components/ui/skeleton";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { cn } from "@/components/ui/cn";
import { deletionDefaults } from "@/lib/deletions/config";
import { listDeletionRequests, type DeletionRequestRow } from "@/lib/deletions/queries";
import { formatDate, formatDateTime } from "@/lib/format";
import type { DeletionListFilters } from "@/lib/validations/deletion-requests";
import { DeadlineBadge, DeletionStatusBadge, REGIME_LABEL, REQUESTER_TYPE_LABEL, SOURCE_LABEL } from "./status-badges";

function Head() {
  return (
    <THead>
      <TR>
        <TH>Received (UTC)</TH>
        <TH>Who asked, and how</TH>
        <TH>Regime</TH>
        <TH>Due</TH>
        <TH>Status</TH>
        <TH numeric>Integrations told</TH>
      </TR>
    </THead>
  );
}

export function DeletionListSkeleton() {
  return (
    <div aria-busy="true" aria-live="polite">
      <p className="sr-only">Loading deletion requests…</p>
      <Table label="Deletion requests (loading)">
        <Head />
        <TBody>
          <SkeletonRows columns={6} rows={8} numericColumns={[5]} />
        </TBody>
      </Table>
    </div>
  );
}

/** The row's edge repeats its deadline badge in colour (never alone: the badge says it in words). */
const edge = (row: DeletionRequestRow) =>
  row.deadline === "overdue"
    ? "border-l-4 border-l-danger"
    : row.deadline === "due_soon"
      ? "border-l-4 border-l-warning"
      : "border-l-4 border-l-transparent";

export async function DeletionList({ filters, query }: { filters: DeletionListFilters; query: Record<string, string> }) {
  const { timeZone } = deletionDefaults();
  const page = await listDeletionRequests(filters);
  const filtered = Boolean(filters.status || filters.regime || filters.source || filters.deadline || filters.from || filters.to);
  return (
    <section aria-labelledby="deletion-list-heading" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="deletion-list-heading" className="text-base font-semibold text-fg">
          Requests
        </h2>
        <p className="text-xs text-muted" aria-live="polite">
          {page.rows.length === 0 ? "No requests on this page" : `Showing ${page.rows.length} on this page, newest first`}
        </p>
      </div>
      {page.rows.length === 0 ? (
        <EmptyState
          icon={filtered ? SearchX : Inbox}
          titleAs="h3"
          title={filtered ? "No requests match" : "No deletion requests yet"}
          description={
            filtered
              ? "Try another status, regime or deadline, or a wider date range."
              : "Requests made from a customer's profile, through the API or in bulk appear here with their due dates."
          }
          action={
            filtered ? (
              <Button asChild variant="secondary" size="sm">
                <Link href="/deletions">Clear filters</Link>
              </Button>
            ) : undefined
          }
        />
      ) : (
        <Table label="Deletion requests">
          <Head />
          <TBody>
            {page.rows.map((row) => (
              <TR key={row.id} className="align-top">
                <TD className={cn("align-top", edge(row))}>
                  <Link
                    href={`/deletions/${row.id}`}
                    className="whitespace-nowrap text-accent hover:underline"
                    aria-label={`Deletion request received ${formatDateTime(row.receivedAt)}`}
                  >
                    <time dateTime={row.receivedAt.toISOString()}>{formatDateTime(row.receivedAt)}</time>
                  </Link>
                  <div>
                    <code className="text-xs text-muted">{row.id.slice(0, 8)}</code>
                  </div>
                </TD>
                <TD className="align-top">
                  <div className="max-w-56 truncate" title={row.requestedBy.label}>
                    {row.requestedBy.label}
                  </div>
                  <div className="text-xs text-muted">
                    {REQUESTER_TYPE_LABEL[row.requestedBy.type] ?? row.requestedBy.type} · {SOURCE_LABEL[row.source]}
                  </div>
                </TD>
                <TD className="align-top">{REGIME_LABEL[row.regime]}</TD>
                <TD className="align-top">
                  <time dateTime={row.dueAt.toISOString()} className="whitespace-nowrap">
                    {formatDate(row.dueAt, timeZone)}
                  </time>
                  {row.extension > 0 ? <div className="text-xs text-muted">extended</div> : null}
                  <div>
                    <DeadlineBadge state={row.deadline} />
                  </div>
                </TD>
                <TD className="align-top">
                  <DeletionStatusBadge status={row.status} />
                </TD>
                <TD numeric className="align-top whitespace-nowrap">
                  {row.signals.total === 0 ? (
                    <span className="text-muted">None to tell</span>
                  ) : (
                    `${row.signals.delivered} of ${row.signals.total}`
                  )}
                  {row.signals.failed > 0 ? <div className="text-xs text-danger">{row.signals.failed} failed</div> : null}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
      <KeysetPagination path="/deletions" filters={query} previous={page.previous} next={page.next} />
    </section>
  );
}
