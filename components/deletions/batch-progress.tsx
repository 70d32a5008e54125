"use client";

import { useEffect, useRef } from "react";
import { useRouter } from "next/navigation";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { isBatchActive, type BatchStatus } from "@/lib/deletions/bulk-labels";
import { BatchStatusBadge } from "./batch-badges";

export type BatchProgressData = {
  id: string;
  status: BatchStatus;
  total_rows: number;
  processed_rows: number;
  counts: { erased: number; already_erased: number; not_found: number; invalid: number; pending: number };
};

export const batchQueryKey = (id: string) => ["deletion-batch", id] as const;

async function fetchBatch(id: string): Promise<BatchProgressData> {
  const response = await fetch(`/api/deletion-batches/${id}`, { headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(`The batch could not be read (${response.status}).`);
  return ((await response.json()) as { data: BatchProgressData }).data;
}

const n = (value: number) => value.toLocaleString("en-US");

/**
 * The batch's progress bar and counts. While it is queued or processing it
 * asks the API every second (waiting for approval, every five); when its
 * status changes, the page is rendered again so the approval panel and the
 * rows table follow.
 */
export function BatchProgress({ initial }: { initial: BatchProgressData }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const { data, isError } = useQuery({
    queryKey: batchQueryKey(initial.id),
    queryFn: () => fetchBatch(initial.id),
    initialData: initial,
    staleTime: 0,
    // Every second while it runs; every few while it waits for someone else's approval.
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status && isBatchActive(status) ? 1_000 : status === "awaiting_approval" ? 5_000 : false;
    },
  });
  // The server's render is the newer one after a refresh (an approval on this page): it replaces the cached poll.
  useEffect(() => {
    queryClient.setQueryData(batchQueryKey(initial.id), initial);
  }, [initial, queryClient]);
  // A change of status changes what else the page shows (the approval panel, the rows' outcomes): render it again.
  const seen = useRef(initial.status);
  useEffect(() => {
    if (seen.current !== data.status) router.refresh();
    seen.current = data.status;
  }, [data.status, router]);

  const percent = data.total_rows === 0 ? 100 : Math.round((data.processed_rows / data.total_rows) * 100);
  return (
    <section aria-labelledby="batch-progress-heading" className="flex flex-col gap-3 rounded-lg border border-border bg-surface p-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="batch-progress-heading" className="text-sm font-semibold text-fg">
          Progress
        </h2>
        <BatchStatusBadge status={data.status} />
      </div>
      <div
        role="progressbar"
        aria-label="Rows processed"
        aria-valuemin={0}
        aria-valuemax={data.total_rows}
        aria-valuenow={data.processed_rows}
        aria-valuetext={`${n(data.processed_rows)} of ${n(data.total_rows)} rows processed`}
        className="h-2.5 w-full overflow-hidden rounded-full bg-surface-muted"
      >
        <div className="h-full rounded-full bg-accent transition-[width] motion-reduce:transition-none" style={{ width: `${percent}%` }} />
      </div>
      <p className="text-sm text-muted" aria-live="polite">
        {n(data.processed_rows)} of {n(data.total_rows)} rows processed ({percent}%)
        {isError ? " · could not refresh, trying again" : null}
      </p>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-5">
        {(
          [
            ["Erased", data.counts.erased],
            ["Already erased", data.counts.already_erased],
            ["Not found", data.counts.not_found],
            ["Invalid", data.counts.invalid],
            ["Not processed yet", data.counts.pending],
          ] as const
        ).map(([label, value]) => (
          <div key={label} className="flex flex-col">
            <dt className="text-xs text-muted">{label}</dt>
            <dd className="font-medium text-fg tabular-nums">{n(value)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
