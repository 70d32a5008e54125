import { SkeletonRows } from "@/components/ui/skeleton";
import { Table, TBody, TH, THead, TR } from "@/components/ui/table";

/** The log's column headers, shared by the table and its loading state. */
export function AuditHead() {
  return (
    <THead>
      <TR>
        <TH>Time (UTC)</TH>
        <TH>Actor</TH>
        <TH>Action</TH>
        <TH>Target</TH>
        <TH>Summary</TH>
        <TH>IP</TH>
      </TR>
    </THead>
  );
}

export function AuditSkeleton() {
  return (
    <div aria-busy="true" aria-live="polite">
      <p className="sr-only">Loading audit entries…</p>
      <Table label="Audit entries (loading)">
        <AuditHead />
        <TBody>
          <SkeletonRows columns={6} rows={10} />
        </TBody>
      </Table>
    </div>
  );
}
