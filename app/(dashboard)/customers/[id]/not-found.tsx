import Link from "next/link";
import { UserX } from "lucide-react";
import { PageHeader } from "@/components/layout/page-header";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export default function CustomerNotFound() {
  return (
    <>
      <PageHeader title="Customer not found" breadcrumbs={[{ label: "Customers", href: "/customers" }, { label: "Not found" }]} />
      <EmptyState
        icon={UserX}
        title="No customer has this id"
        description="The link may be mistyped, or the customer may have been deleted. Search the directory instead."
        action={
          <Button asChild variant="secondary" size="sm">
            <Link href="/customers">Back to customers</Link>
          </Button>
        }
      />
    </>
  );
}
