import { PageHeader } from "@/components/layout/page-header";
import { DirectorySkeleton } from "@/components/customers/directory-skeleton";

export default function Loading() {
  return (
    <>
      <PageHeader title="Customers" breadcrumbs={[{ label: "Customers" }]} />
      <DirectorySkeleton />
    </>
  );
}
