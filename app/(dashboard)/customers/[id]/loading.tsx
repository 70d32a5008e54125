import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div aria-busy="true" className="flex flex-col gap-6">
      <p className="sr-only" aria-live="polite">
        Loading customer…
      </p>
      <Skeleton className="h-8 w-64" />
      <div className="grid gap-8 xl:grid-cols-[22rem_1fr]">
        <Skeleton className="h-64" />
        <Skeleton className="h-64" />
      </div>
      <Skeleton className="h-40" />
    </div>
  );
}
