import { SkeletonRows } from "@/components/ui/skeleton";
import { Table, TBody, TH, THead, TR } from "@/components/ui/table";

/** The directory's column headers, shared by the table and its loading state. */
export function DirectoryHead() {
  return (
    <THead>
      <TR>
        <TH>Customer</TH>
        <TH>External id</TH>
        <TH>Phone</TH>
        <TH>Consent</TH>
        <TH numeric>Created</TH>
      </TR>
    </THead>
  );
}

export function DirectorySkeleton() {
  return (
    <div aria-busy="true" aria-live="polite">
      <p className="sr-only">Loading customers…</p>
      <Table label="Customers (loading)">
        <DirectoryHead />
        <TBody>
          <SkeletonRows columns={5} rows={10} numericColumns={[4]} />
        </TBody>
      </Table>
    </div>
  );
}
