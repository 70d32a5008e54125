import { PageHeader } from "@/components/layout/page-header";
import { DeliveryLogSkeleton } from "@/components/integrations/delivery-log";
import { Skeleton } from "@/components/ui/skeleton";

export default function IntegrationLoading() {
  return (
    <>
      <PageHeader title="Integration" breadcrumbs={[{ label: "Integrations", href: "/integrations" }, { label: "Loading…" }]} />
      <div className="grid grid-cols-2 gap-2 sm:grid-cols-4" aria-hidden="true">
        {Array.from({ length: 8 }, (_, i) => (
          <Skeleton key={i} className="h-14" />
        ))}
      </div>
      <DeliveryLogSkeleton />
    </>
  );
}
