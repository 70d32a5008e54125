import { Suspense } from "react";
import type { Metadata } from "next";
import { Plug } from "lucide-react";
import { PageHeader } from "@/components/layout/page-header";
import { IntegrationCard, IntegrationCardsSkeleton } from "@/components/integrations/integration-card";
import { EmptyState } from "@/components/ui/empty-state";
import { requirePageAccess } from "@/lib/auth/session";
import { seesFullEndpoint } from "@/lib/integrations/endpoint-display";
import { listIntegrationStatuses } from "@/lib/integrations/status";

export const metadata: Metadata = { title: "Integrations" };

export default async function IntegrationsPage() {
  const actor = await requirePageAccess("integrations:read");
  return (
    <>
      <PageHeader
        title="Integrations"
        description="Connected tools and whether they hear about every consent change and deletion: signals by status, the last day's deliveries, and how long each change took to arrive."
        breadcrumbs={[{ label: "Integrations" }]}
      />
      <Suspense fallback={<IntegrationCardsSkeleton />}>
        <IntegrationList revealEndpoint={seesFullEndpoint(actor.role)} />
      </Suspense>
    </>
  );
}

async function IntegrationList({ revealEndpoint }: { revealEndpoint: boolean }) {
  const now = new Date();
  const statuses = await listIntegrationStatuses({ now, revealEndpoint });
  if (statuses.length === 0) {
    return (
      <EmptyState
        icon={Plug}
        title="No integrations yet"
        description="An admin connects tools in Settings; each one then receives a signed signal for every consent change and deletion."
      />
    );
  }
  return (
    <div className="flex flex-col gap-4">
      {statuses.map((status) => (
        <IntegrationCard key={status.id} status={status} now={now} />
      ))}
    </div>
  );
}
