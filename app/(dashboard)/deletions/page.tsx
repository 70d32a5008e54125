import { Suspense } from "react";
import type { Metadata } from "next";
import { PageHeader } from "@/components/layout/page-header";
import { DeletionFilters, DeletionParamErrors } from "@/components/deletions/deletion-filters";
import { DeletionList, DeletionListSkeleton } from "@/components/deletions/deletion-list";
import { requirePageAccess } from "@/lib/auth/session";
import { DELETION_FILTER_FIELDS, parseDeletionListPageParams } from "@/lib/validations/deletion-requests";
import type { SearchParamsInput } from "@/lib/validations/search-params";

export const metadata: Metadata = { title: "Deletions" };

/** The URL's values of `fields` that parsed, as strings, for links and the form. */
function kept(raw: SearchParamsInput, fields: readonly string[], errors: ReadonlyArray<{ field: string }>) {
  const out: Record<string, string> = {};
  for (const field of fields) {
    const value = raw[field];
    const first = Array.isArray(value) ? value[0] : value;
    if (first && !errors.some((e) => e.field === field)) out[field] = first;
  }
  return out;
}

export default async function DeletionsPage({ searchParams }: { searchParams: Promise<SearchParamsInput> }) {
  await requirePageAccess("deletions:read");
  const raw = await searchParams;
  const { params, errors } = parseDeletionListPageParams(raw);
  const query = kept(raw, DELETION_FILTER_FIELDS, errors);
  const here = kept(raw, [...DELETION_FILTER_FIELDS, "after", "before"], errors);
  return (
    <>
      <PageHeader
        title="Deletions"
        description="Customer deletion requests: when each was received, who asked and how, its due date, and each connected integration confirming the delete signal."
        // Bulk deletions (/deletions/bulk) add their link here.
      />
      <DeletionFilters values={query} />
      {errors.length > 0 ? <DeletionParamErrors errors={errors} /> : null}
      <Suspense key={JSON.stringify(here)} fallback={<DeletionListSkeleton />}>
        <DeletionList filters={params} query={query} />
      </Suspense>
    </>
  );
}
