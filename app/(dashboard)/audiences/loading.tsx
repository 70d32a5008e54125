import { PageHeader } from "@/components/layout/page-header";
import { PreviewMembersSkeleton, SendPreviewSummarySkeleton } from "@/components/audiences/preview-members-skeleton";
import { Skeleton } from "@/components/ui/skeleton";

export default function AudiencesLoading() {
  return (
    <>
      <PageHeader title="Audience send preview" breadcrumbs={[{ label: "Audiences" }]} />
      <div className="flex flex-wrap items-end gap-4" aria-hidden="true">
        <Skeleton className="h-9 w-72" />
        <Skeleton className="h-9 w-40" />
        <Skeleton className="h-9 w-32" />
      </div>
      <SendPreviewSummarySkeleton />
      <PreviewMembersSkeleton />
    </>
  );
}
