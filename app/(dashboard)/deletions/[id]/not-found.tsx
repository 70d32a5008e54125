import Link from "next/link";
import { FileX } from "lucide-react";
import { PageHeader } from "@/components/layout/page-header";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export default function DeletionRequestNotFound() {
  return (
    <>
      <PageHeader title="Deletion request not found" breadcrumbs={[{ label: "Deletions", href: "/deletions" }, { label: "Not found" }]} />
      <EmptyState
        icon={FileX}
        title="No deletion request has this id"
        description="The link may be mistyped or cut short."
        action={
          <Button asChild variant="secondary" size="sm">
            <Link href="/deletions">Back to deletions</Link>
          </Button>
        }
      />
    </>
  );
}
