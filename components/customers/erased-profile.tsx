import Link from "next/link";
import { ShieldCheck } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime } from "@/lib/format";

/** What an erased customer's profile shows: that they were erased, when, and the request; nothing about the person. */
export function ErasedProfile({
  customerId,
  erasedAt,
  requestId,
  canReadRequest,
}: {
  customerId: string;
  erasedAt: Date;
  requestId: string | null;
  /** Only roles that may open the deletion pages get the link (marketers would meet a 403). */
  canReadRequest: boolean;
}) {
  return (
    <EmptyState
      icon={ShieldCheck}
      title="This customer was erased"
      description={
        <>
          <p>
            Erased on <time dateTime={erasedAt.toISOString()}>{formatDateTime(erasedAt)}</time> at their request. Nothing that identifies
            them is stored any more; reporting totals keep their events without the person.
          </p>
          <p>
            Internal id <code className="text-xs">{customerId}</code>
          </p>
        </>
      }
      action={
        requestId && canReadRequest ? (
          <Button asChild variant="secondary" size="sm">
            <Link href={`/deletions/${requestId}`}>View the deletion request</Link>
          </Button>
        ) : undefined
      }
    />
  );
}
