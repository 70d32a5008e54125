import Link from "next/link";
import { Unplug } from "lucide-react";
import { PageHeader } from "@/components/layout/page-header";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export default function IntegrationNotFound() {
  return (
    <>
      <PageHeader title="Integration not found" breadcrumbs={[{ label: "Integrations", href: "/integrations" }, { label: "Not found" }]} />
      <EmptyState
        icon={Unplug}
        title="No integration has this id"
        description="The link may be mistyped, or the integration may have been removed."
        action={
          <Button asChild variant="secondary" size="sm">
            <Link href="/integrations">Back to integrations</Link>
          </Button>
        }
      />
    </>
  );
}
