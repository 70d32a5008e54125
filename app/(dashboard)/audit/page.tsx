import { Suspense } from "react";
import type { Metadata } from "next";
import { Download } from "lucide-react";
import { PageHeader } from "@/components/layout/page-header";
import { AuditChainStatus, AuditChainStatusSkeleton } from "@/components/audit/audit-chain-status";
import { AuditFilters } from "@/components/audit/audit-filters";
import { AuditResults } from "@/components/audit/audit-results";
import { AuditSkeleton } from "@/components/audit/audit-skeleton";
import { ParamErrors } from "@/components/audit/param-errors";
import { Button } from "@/components/ui/button";
import { auditFilterQuery, parseAuditParams } from "@/lib/audit/params";
import { requirePageAccess } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Audit log" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  // Redirects to sign-in, or renders the forbidden page, before anything is read.
  await requirePageAccess("audit:read");
  const raw = await searchParams;
  const parsed = parseAuditParams(raw);
  const errors = parsed.ok ? [] : parsed.errors;
  // The usable filters only: the export link, the form and the paging links all carry them.
  const filters = auditFilterQuery(raw, errors);
  const exportHref = `/api/audit/export${filters.size > 0 ? `?${filters}` : ""}`;
  const cursor = [parsed.params.after, parsed.params.before].map((c) => c && `${c.t}/${c.id}`).join("|");

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every sign-in, consent change, deletion and settings change: who, when and from where, in a tamper-evident log."
        breadcrumbs={[{ label: "Audit log" }]}
        actions={
          <Button asChild>
            {/* A plain link: the file comes from a route handler, not a page to navigate to. */}
            <a href={exportHref} download>
              <Download aria-hidden="true" />
              Export CSV
            </a>
          </Button>
        }
      />
      <Suspense fallback={<AuditChainStatusSkeleton />}>
        <AuditChainStatus />
      </Suspense>
      <AuditFilters values={Object.fromEntries(filters)} />
      {errors.length > 0 ? <ParamErrors errors={errors} /> : null}
      <Suspense key={`${filters}#${cursor}`} fallback={<AuditSkeleton />}>
        <AuditResults params={parsed.params} filters={Object.fromEntries(filters)} />
      </Suspense>
    </>
  );
}
