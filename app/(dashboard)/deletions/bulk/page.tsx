import type { Metadata } from "next";
import Link from "next/link";
import { FileUp } from "lucide-react";
import { PageHeader } from "@/components/layout/page-header";
import { BatchStatusBadge } from "@/components/deletions/batch-badges";
import { BulkUploadForm } from "@/components/deletions/bulk-upload-form";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { can } from "@/lib/auth/permissions";
import { requirePageAccess } from "@/lib/auth/session";
import { listDeletionBatches } from "@/lib/deletions/batches";
import { deletionDefaults } from "@/lib/deletions/config";
import { formatDateTime } from "@/lib/format";

export const metadata: Metadata = { title: "Bulk deletions" };

export default async function BulkDeletionsPage() {
  const actor = await requirePageAccess("deletions:read");
  const batches = await listDeletionBatches();
  const mayUpload = can(actor.role, "customers:delete");
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Bulk deletions"
        breadcrumbs={[{ label: "Deletions", href: "/deletions" }, { label: "Bulk deletions" }]}
        description="Erase many customers from a CSV of external ids or emails. Each row is matched at once; the erasure runs in the background, and the file's values are never stored."
      />
      {mayUpload ? (
        <BulkUploadForm defaultRegime={deletionDefaults().regime} />
      ) : (
        <p className="text-sm text-muted">Privacy officers and admins upload bulk deletions; your role can follow them here.</p>
      )}
      <section aria-labelledby="batches-heading" className="flex flex-col gap-3">
        <h2 id="batches-heading" className="text-sm font-semibold text-fg">
          Recent uploads
        </h2>
        {batches.length === 0 ? (
          <EmptyState
            icon={FileUp}
            title="No bulk deletions yet"
            description="Uploaded files appear here with their progress."
            titleAs="h3"
          />
        ) : (
          <Table label="Bulk deletions">
            <THead>
              <TR>
                <TH>File</TH>
                <TH>Status</TH>
                <TH numeric>Progress</TH>
                <TH numeric>Customers</TH>
                <TH>Uploaded</TH>
                <TH>Approved or rejected by</TH>
              </TR>
            </THead>
            <TBody>
              {batches.map((b) => (
                <TR key={b.id}>
                  <TD className="max-w-64 truncate">
                    <Link href={`/deletions/bulk/${b.id}`} className="font-medium text-accent hover:underline">
                      {b.fileName}
                    </Link>
                  </TD>
                  <TD>
                    <BatchStatusBadge status={b.status} />
                  </TD>
                  <TD numeric>
                    {b.processedRows.toLocaleString("en-US")} / {b.totalRows.toLocaleString("en-US")}
                  </TD>
                  <TD numeric>{b.toErase.toLocaleString("en-US")}</TD>
                  <TD className="whitespace-nowrap">
                    {formatDateTime(b.createdAt)} <span className="text-muted">by {b.createdBy.label}</span>
                  </TD>
                  <TD>
                    {b.decidedBy ? (
                      b.decidedBy.label
                    ) : (
                      <span className="text-muted">{b.status === "awaiting_approval" ? "Waiting" : "Not needed"}</span>
                    )}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </section>
    </div>
  );
}
