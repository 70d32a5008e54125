import { Ban, CircleCheck, CircleDashed, CircleHelp, CircleX, Clock, LoaderCircle, type LucideIcon } from "lucide-react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { BATCH_STATUS_LABEL, ROW_OUTCOME_LABEL, type BatchStatus, type RowState } from "@/lib/deletions/bulk-labels";

const STATUS_LOOK: Record<BatchStatus, { tone: BadgeTone; icon: LucideIcon }> = {
  awaiting_approval: { tone: "warning", icon: Clock },
  queued: { tone: "info", icon: CircleDashed },
  processing: { tone: "info", icon: LoaderCircle },
  done: { tone: "success", icon: CircleCheck },
  rejected: { tone: "neutral", icon: Ban },
};

export function BatchStatusBadge({ status }: { status: BatchStatus }) {
  const { tone, icon } = STATUS_LOOK[status];
  return (
    <Badge tone={tone} icon={icon}>
      {BATCH_STATUS_LABEL[status]}
    </Badge>
  );
}

const OUTCOME_LOOK: Record<RowState, { tone: BadgeTone; icon: LucideIcon }> = {
  erased: { tone: "success", icon: CircleCheck },
  already_erased: { tone: "neutral", icon: CircleCheck },
  not_found: { tone: "warning", icon: CircleHelp },
  invalid: { tone: "danger", icon: CircleX },
  pending: { tone: "neutral", icon: CircleDashed },
  rejected: { tone: "neutral", icon: CircleX },
};

export function RowOutcomeBadge({ state }: { state: RowState }) {
  const { tone, icon } = OUTCOME_LOOK[state];
  return (
    <Badge tone={tone} icon={icon}>
      {ROW_OUTCOME_LABEL[state]}
    </Badge>
  );
}
