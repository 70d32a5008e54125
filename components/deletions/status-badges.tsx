import { CircleAlert, CircleCheck, CircleX, Clock, Eraser, Hourglass, Inbox, Send, type LucideIcon } from "lucide-react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { DeadlineState, Regime } from "@/lib/deletions/deadlines";
import { DELETION_STATUS_LABEL, type DeletionStatus } from "@/lib/deletions/status";
import type { DeletionSourceFilter } from "@/lib/validations/deletion-requests";

// Every status as a word and an icon; the colour only repeats them (STYLE.md, "The look").

type Look = { label: string; tone: BadgeTone; icon: LucideIcon };

export const DELETION_STATUS_LOOK: Record<DeletionStatus, Look> = {
  received: { label: DELETION_STATUS_LABEL.received, tone: "neutral", icon: Inbox },
  erased: { label: DELETION_STATUS_LABEL.erased, tone: "info", icon: Eraser },
  notifying: { label: DELETION_STATUS_LABEL.notifying, tone: "info", icon: Send },
  completed: { label: DELETION_STATUS_LABEL.completed, tone: "success", icon: CircleCheck },
  failed: { label: DELETION_STATUS_LABEL.failed, tone: "danger", icon: CircleX },
};

export const DEADLINE_LOOK: Record<DeadlineState, Look> = {
  overdue: { label: "Overdue", tone: "danger", icon: CircleAlert },
  due_soon: { label: "Due soon", tone: "warning", icon: Hourglass },
  on_track: { label: "On track", tone: "neutral", icon: Clock },
};

export const SOURCE_LABEL: Record<DeletionSourceFilter, string> = {
  dashboard: "Dashboard",
  api: "API",
  bulk: "Bulk upload",
};

export const REGIME_LABEL: Record<Regime, string> = { gdpr: "GDPR", ccpa: "CCPA" };

export const REQUESTER_TYPE_LABEL: Record<string, string> = { user: "Staff user", api_key: "API key", system: "System" };

export function DeletionStatusBadge({ status }: { status: DeletionStatus }) {
  const look = DELETION_STATUS_LOOK[status];
  return (
    <Badge tone={look.tone} icon={look.icon}>
      {look.label}
    </Badge>
  );
}

/** Overdue and due soon stand out (word, icon and colour); on track shows nothing unless asked. */
export function DeadlineBadge({ state, always = false }: { state: DeadlineState; always?: boolean }) {
  if (state === "on_track" && !always) return null;
  const look = DEADLINE_LOOK[state];
  return (
    <Badge tone={look.tone} icon={look.icon}>
      {look.label}
    </Badge>
  );
}

/** "2 months", "1 day". */
export function extensionWords(n: number, unit: "months" | "days"): string {
  return `${n} ${n === 1 ? unit.slice(0, -1) : unit}`;
}
