import { Ban, CircleCheck, CirclePause, CircleX, Clock, Plug, RotateCw, TriangleAlert, type LucideIcon } from "lucide-react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { AttemptOutcome } from "@/lib/integrations/deliveries";
import type { Connection, Health } from "@/lib/integrations/health";
import type { SignalKindFilter, SignalStatusFilter } from "@/lib/validations/deliveries";

// Every status as a word and an icon; the colour only repeats them (STYLE.md, "The look").

type Look = { label: string; tone: BadgeTone; icon: LucideIcon };

export const CONNECTION: Record<Connection, Look> = {
  connected: { label: "Connected", tone: "success", icon: Plug },
  paused: { label: "Paused", tone: "warning", icon: CirclePause },
  disabled: { label: "Disabled by the endpoint", tone: "danger", icon: Ban },
};

export const HEALTH: Record<Health, Look> = {
  healthy: { label: "Healthy", tone: "success", icon: CircleCheck },
  retrying: { label: "Retrying", tone: "warning", icon: RotateCw },
  failing: { label: "Failing", tone: "danger", icon: TriangleAlert },
};

export const SIGNAL_STATUS: Record<SignalStatusFilter, Look> = {
  pending: { label: "Pending", tone: "info", icon: Clock },
  retrying: { label: "Retrying", tone: "warning", icon: RotateCw },
  delivered: { label: "Delivered", tone: "success", icon: CircleCheck },
  failed: { label: "Failed", tone: "danger", icon: CircleX },
};

const OUTCOME: Record<AttemptOutcome, Look> = {
  delivered: { label: "Delivered", tone: "success", icon: CircleCheck },
  retry: { label: "Will retry", tone: "warning", icon: RotateCw },
  failed: { label: "Failed", tone: "danger", icon: CircleX },
  disabled: { label: "Integration disabled (410)", tone: "danger", icon: Ban },
};

export const KIND_LABEL: Record<SignalKindFilter, string> = {
  consent_change: "Consent change",
  delete: "Deletion",
  test: "Test signal",
};

function LookBadge({ look, prefix }: { look: Look; prefix?: string }) {
  return (
    <Badge tone={look.tone} icon={look.icon}>
      {prefix ? <span className="sr-only">{prefix} </span> : null}
      {look.label}
    </Badge>
  );
}

export const ConnectionBadge = ({ connection }: { connection: Connection }) => (
  <LookBadge look={CONNECTION[connection]} prefix="Connection:" />
);
export const HealthBadge = ({ health }: { health: Health }) => <LookBadge look={HEALTH[health]} prefix="Deliveries:" />;
export const SignalStatusBadge = ({ status }: { status: SignalStatusFilter }) => <LookBadge look={SIGNAL_STATUS[status]} />;
export const OutcomeBadge = ({ outcome }: { outcome: AttemptOutcome }) => <LookBadge look={OUTCOME[outcome]} />;

/** What a consent-change signal told: "stop syncing" or "may sync", and the record's version. */
export function kindDescription(kind: SignalKindFilter, consent: { allowed: boolean | null; version: number | null } | null): string {
  if (kind !== "consent_change" || !consent) return KIND_LABEL[kind];
  const told = consent.allowed === false ? ": stop syncing" : consent.allowed ? ": may sync" : "";
  return `${KIND_LABEL[kind]}${told}${consent.version !== null ? ` (version ${consent.version})` : ""}`;
}
