import { Suspense } from "react";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/layout/page-header";
import { DeliveryFilters, DeliveryParamErrors } from "@/components/integrations/delivery-filters";
import { DeliveryLog, DeliveryLogSkeleton } from "@/components/integrations/delivery-log";
import { IntegrationFigures, IntegrationStatusLine } from "@/components/integrations/integration-figures";
import { RetryAllFailedButton } from "@/components/integrations/retry-controls";
import { SignalDetail } from "@/components/integrations/signal-detail";
import { Skeleton } from "@/components/ui/skeleton";
import { can } from "@/lib/auth/permissions";
import { requirePageAccess } from "@/lib/auth/session";
import { seesFullEndpoint } from "@/lib/integrations/endpoint-display";
import { getIntegrationStatus } from "@/lib/integrations/status";
import { DELIVERY_FILTER_FIELDS, MAX_BULK_RETRY, parseDeliveryPageParams } from "@/lib/validations/deliveries";
import type { SearchParamsInput } from "@/lib/validations/search-params";

export const metadata: Metadata = { title: "Integration" };

type Params = Promise<{ id: string }>;
type SearchParams = Promise<SearchParamsInput>;

/** The URL's values of `fields` that parsed, as strings, for links and the form. */
function kept(raw: SearchParamsInput, fields: readonly string[], errors: ReadonlyArray<{ field: string }>) {
  const out: Record<string, string> = {};
  for (const field of fields) {
    const value = raw[field];
    const first = Array.isArray(value) ? value[0] : value;
    if (first && !errors.some((e) => e.field === field)) out[field] = first;
  }
  return out;
}

export default async function IntegrationPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const actor = await requirePageAccess("integrations:read");
  const { id } = await params;
  const now = new Date();
  const status = await getIntegrationStatus(id, { now, revealEndpoint: seesFullEndpoint(actor.role) });
  if (!status) notFound();
  const raw = await searchParams;
  const { params: view, errors } = parseDeliveryPageParams(raw);
  const query = kept(raw, DELIVERY_FILTER_FIELDS, errors);
  const here = kept(raw, [...DELIVERY_FILTER_FIELDS, "after", "before"], errors);
  const canRetry = can(actor.role, "deliveries:retry");
  const closeHref = `/integrations/${status.id}${Object.keys(here).length > 0 ? `?${new URLSearchParams(here)}` : ""}`;

  return (
    <>
      <PageHeader
        title={status.name}
        description={<span className="font-mono text-xs break-all">{status.endpoint}</span>}
        breadcrumbs={[{ label: "Integrations", href: "/integrations" }, { label: status.name }]}
        actions={
          canRetry && status.counts.failed > 0 ? (
            <RetryAllFailedButton
              integrationId={status.id}
              integrationName={status.name}
              failed={status.counts.failed}
              limit={MAX_BULK_RETRY}
            />
          ) : undefined
        }
      />
      <IntegrationStatusLine status={status} />
      <IntegrationFigures status={status} now={now} headingLevel={2} />
      {view.signal ? (
        <Suspense key={view.signal} fallback={<Skeleton className="h-40 w-full" />}>
          <SignalDetail integrationId={status.id} signalId={view.signal} closeHref={closeHref} canRetry={canRetry} />
        </Suspense>
      ) : null}
      <DeliveryFilters integrationId={status.id} values={query} />
      {errors.length > 0 ? <DeliveryParamErrors errors={errors} /> : null}
      <Suspense key={JSON.stringify(here)} fallback={<DeliveryLogSkeleton />}>
        <DeliveryLog
          integrationId={status.id}
          integrationName={status.name}
          filters={view}
          query={query}
          here={here}
          canRetry={canRetry}
          openSignal={view.signal}
        />
      </Suspense>
    </>
  );
}
