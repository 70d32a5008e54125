import Link from "next/link";
import { Construction } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export type NotAvailableProps = {
  /** What the page will do once built, in one sentence. */
  summary: string;
};

/** Placeholder body for sections that are planned but not built; deliberately shows no sample data. */
export function NotAvailable({ summary }: NotAvailableProps) {
  return (
    <EmptyState
      icon={Construction}
      title="Not available yet"
      description={
        <>
          <p>{summary}</p>
          <p>This page has not been built yet, so there is nothing to show or change here.</p>
        </>
      }
      action={
        <Button asChild variant="secondary" size="sm">
          <Link href="/customers">Go to Customers</Link>
        </Button>
      }
    />
  );
}
