import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Download } from "lucide-react";
import { PageHeader } from "@/components/layout/page-header";
import { RowOutcomeBadge } from "@/components/deletions/batch-badges";
import { approvalReason, approvalRefusal } from "@/lib/deletions/bulk-approval";
import { rowState } from "@/lib/deletions/bulk-labels";
import { BatchDecision } from "@/components/deletions/batch-decision";
import { BatchProgress } from "@/components/deletions/batch-progress";
import { Button } from "@/components/ui/button";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { can } from "@/lib/auth/permissions";
import { requirePageAccess } from "@/lib/auth/session";
import { getDeletionBatch, listDeletionBatchRows } from "@/lib/deletions/batches";
import { formatDateTime } from "@/lib/format";
import type { SearchParamsInput } from "@/lib/validations/search-params";
import { parseBatchPageParams } from "@/lib/validations/deletion-batches";

export const metadata: Metadata = { title: "Bulk deletion" };

const KIND_LABEL = { email: "Email", external_id: "External id" } as const;

export default async function BulkDeletionPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<SearchParamsInput>;
}) {
  const actor = await requirePageAccess("deletions:read");
  const [{ id }, raw] = await Promise.all([params, searchParams]);
  const { params: query, errors } = parseBatchPageParams(raw);
  const [batch, rows] = await Promise.all([getDeletionBatch(id), listDeletionBatchRows(id, query.page)]);
  if (!batch) notFound();
  const waiting = batch.status === "awaiting_approval";
  const mayDecide = can(actor.role, "customers:delete");
  // The page is a person's, signed in: refused only as the uploader (or the creator of the key that uploaded).
  const refusal = approvalRefusal(
    {
      status: batch.status,
      createdById: batch.createdBy.id,
      createdByType: batch.createdBy.type,
      uploadedByPersonId: batch.createdBy.personId,
    },
    actor,
  );
  const uploadedBy = batch.createdBy.type === "api_key" ? "An API key you created uploaded this file" : "You uploaded this file";
  const pageHref = (page: number) => `/deletions/bulk/${batch.id}?page=${page}`;

  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Bulk deletion"
        breadcrumbs={[
          { label: "Deletions", href: "/deletions" },
          { label: "Bulk deletions", href: "/deletions/bulk" },
          { label: batch.fileName },
        ]}
        description={
          <>
            {batch.fileName} · {batch.regime.toUpperCase()} · uploaded {formatDateTime(batch.createdAt)} by {batch.createdBy.label}
            {batch.decidedBy ? ` · ${batch.status === "rejected" ? "rejected" : "approved"} by ${batch.decidedBy.label}` : ""}
            {batch.reason ? ` · “${batch.reason}”` : ""}
          </>
        }
        actions={
          <Button asChild variant="secondary">
            <a href={`/api/deletion-batches/${batch.id}/result`} download>
              <Download aria-hidden="true" />
              Download result CSV
            </a>
          </Button>
        }
      />
      {waiting ? (
        <section
          aria-labelledby="approval-heading"
          className="flex flex-col gap-3 rounded-lg border border-warning/30 bg-warning-subtle p-4"
        >
          <h2 id="approval-heading" className="text-sm font-semibold text-fg">
            Waiting for approval
          </h2>
          <p className="text-sm text-fg">{approvalReason(batch)} Nothing is erased until then.</p>
          {!mayDecide ? (
            <p className="text-sm text-muted">Your role cannot approve bulk deletions.</p>
          ) : refusal ? (
            <p className="text-sm text-muted">
              {refusal.code === "own_upload"
                ? `${uploadedBy}, so you cannot approve or reject it: ask another privacy officer or an admin.`
                : refusal.message}
            </p>
          ) : (
            <BatchDecision batchId={batch.id} toErase={batch.toErase} />
          )}
        </section>
      ) : null}
      <BatchProgress
        initial={{
          id: batch.id,
          status: batch.status,
          total_rows: batch.totalRows,
          processed_rows: batch.processedRows,
          counts: batch.counts,
        }}
      />
      <section aria-labelledby="rows-heading" className="flex flex-col gap-3">
        <h2 id="rows-heading" className="text-sm font-semibold text-fg">
          Rows
        </h2>
        {errors.length > 0 ? (
          <p role="alert" className="text-sm text-danger">
            {errors.map((e) => `${e.field}: ${e.message}`).join("; ")}. Showing the first page.
          </p>
        ) : null}
        <Table label="Rows and their outcomes">
          <THead>
            <TR>
              <TH numeric>Row</TH>
              <TH>Identifier</TH>
              <TH>Outcome</TH>
              <TH>Message</TH>
              <TH>Request</TH>
            </TR>
          </THead>
          <TBody>
            {rows.rows.map((r) => (
              <TR key={r.row}>
                <TD numeric>{r.row}</TD>
                <TD className="text-muted">{r.identifierKind ? KIND_LABEL[r.identifierKind] : "Unreadable"}</TD>
                <TD>
                  <RowOutcomeBadge state={rowState(r.outcome, batch.status)} />
                </TD>
                <TD className="text-muted">{r.message ?? ""}</TD>
                <TD>
                  {r.requestId ? (
                    <Link
                      href={`/deletions/${r.requestId}`}
                      className="text-accent hover:underline"
                      aria-label={`Deletion request for row ${r.row}`}
                    >
                      View request
                    </Link>
                  ) : (
                    <span className="text-muted">None</span>
                  )}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
        <nav aria-label="Rows pages" className="flex flex-wrap items-center justify-between gap-2 text-sm text-muted">
          <span>
            Page {rows.page} of {rows.pages}
          </span>
          <span className="flex gap-2">
            {rows.page > 1 ? (
              <Button asChild variant="secondary" size="sm">
                <Link href={pageHref(rows.page - 1)}>Previous page</Link>
              </Button>
            ) : null}
            {rows.page < rows.pages ? (
              <Button asChild variant="secondary" size="sm">
                <Link href={pageHref(rows.page + 1)}>Next page</Link>
              </Button>
            ) : null}
          </span>
        </nav>
      </section>
    </div>
  );
}
