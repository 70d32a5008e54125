import Link from "next/link";
import { ChevronRight } from "lucide-react";
import { Skeleton } from "@/components/ui/skeleton";
import type { IntegrationStatus } from "@/lib/integrations/status";
import { IntegrationFigures, IntegrationStatusLine } from "./integration-figures";

/** One integration on the list: its state at a glance, its figures, and the way to its delivery log. */
export function IntegrationCard({ status, now }: { status: IntegrationStatus; now: Date }) {
  const headingId = `integration-${status.id}`;
  return (
    <article aria-labelledby={headingId} className="flex flex-col gap-3 rounded-lg border border-border bg-surface-muted/40 p-4">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="flex min-w-0 flex-col gap-0.5">
          <h2 id={headingId} className="text-base font-semibold text-fg">
            <Link
              href={`/integrations/${status.id}`}
              className="rounded-sm hover:underline focus-visible:outline-2 focus-visible:outline-ring"
            >
              {status.name}
            </Link>
          </h2>
          <p className="truncate font-mono text-xs text-muted" title={status.endpoint}>
            {status.endpoint}
          </p>
        </div>
        <Link
          href={`/integrations/${status.id}`}
          className="inline-flex items-center gap-1 rounded-sm text-sm text-accent hover:underline focus-visible:outline-2 focus-visible:outline-ring"
          aria-label={`Delivery log of ${status.name}`}
        >
          Delivery log <ChevronRight aria-hidden="true" className="size-4" />
        </Link>
      </div>
      <IntegrationStatusLine status={status} />
      <IntegrationFigures status={status} now={now} />
    </article>
  );
}

export function IntegrationCardsSkeleton({ count = 3 }: { count?: number }) {
  return (
    <div aria-busy="true" aria-live="polite" className="flex flex-col gap-4">
      <p className="sr-only">Loading the integrations…</p>
      {Array.from({ length: count }, (_, i) => (
        <div key={i} className="flex flex-col gap-3 rounded-lg border border-border p-4">
          <Skeleton className="h-5 w-48" />
          <Skeleton className="w-72" />
          <div className="grid grid-cols-2 gap-2 sm:grid-cols-4">
            {Array.from({ length: 8 }, (_, j) => (
              <Skeleton key={j} className="h-14" />
            ))}
          </div>
        </div>
      ))}
    </div>
  );
}
