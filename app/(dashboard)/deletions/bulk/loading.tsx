import { PageHeader } from "@/components/layout/page-header";
import { Skeleton } from "@/components/ui/skeleton";

export default function BulkDeletionsLoading() {
  return (
    <div className="flex flex-col gap-6" aria-busy="true">
      <PageHeader title="Bulk deletions" breadcrumbs={[{ label: "Deletions", href: "/deletions" }, { label: "Bulk deletions" }]} />
      <p className="sr-only" role="status">
        Loading bulk deletions…
      </p>
      <Skeleton className="h-40 w-full rounded-lg" />
      <Skeleton className="h-64 w-full rounded-lg" />
    </div>
  );
}
