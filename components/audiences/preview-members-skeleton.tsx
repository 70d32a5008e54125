import { Skeleton, SkeletonRows } from "@/components/ui/skeleton";
import { Table, TBody, TH, THead, TR } from "@/components/ui/table";

/** The member table's column headers, shared by the table and its loading state. */
export function PreviewMembersHead({ contact }: { contact: string }) {
  return (
    <THead>
      <TR>
        <TH>Customer</TH>
        <TH>{contact} on membership</TH>
        <TH>Status</TH>
        <TH>Link tracking</TH>
      </TR>
    </THead>
  );
}

export function PreviewMembersSkeleton() {
  return (
    <div aria-busy="true" aria-live="polite" className="flex flex-col gap-3">
      <p className="sr-only">Loading members…</p>
      <Skeleton className="h-5 w-40" />
      <Table label="Audience members (loading)">
        <PreviewMembersHead contact="Contact" />
        <TBody>
          <SkeletonRows columns={4} rows={10} />
        </TBody>
      </Table>
    </div>
  );
}

export function SendPreviewSummarySkeleton() {
  return (
    <div aria-busy="true" aria-live="polite" className="flex flex-col gap-3">
      <p className="sr-only">Counting members…</p>
      <Skeleton className="h-5 w-64" />
      <div className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} className="flex flex-col gap-2 rounded-lg border border-border bg-surface p-4">
            <Skeleton className="w-24" />
            <Skeleton className="h-7 w-32" />
            <Skeleton className="h-3 w-3/4" />
          </div>
        ))}
      </div>
    </div>
  );
}
