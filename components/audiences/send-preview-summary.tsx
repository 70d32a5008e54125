import type { ReactNode } from "react";
import { CircleCheck, CircleSlash, Link2, Link2Off, MailX, Users, type LucideIcon } from "lucide-react";
import { cn } from "@/components/ui/cn";
import type { SendPreview } from "@/lib/audiences/send-preview";
import { CHANNEL_COPY, formatCount } from "./copy";

type Tone = "neutral" | "success" | "danger" | "warning" | "info";
const ICON_TONE: Record<Tone, string> = {
  neutral: "text-muted",
  success: "text-success",
  danger: "text-danger",
  warning: "text-warning",
  info: "text-info",
};

function percent(part: number, whole: number) {
  if (whole === 0) return "—";
  const value = (part / whole) * 100;
  return `${value > 0 && value < 1 ? "<1" : Math.round(value)}%`;
}

function StatCard({
  label,
  value,
  of,
  icon: Icon,
  tone,
  children,
}: {
  label: string;
  value: number;
  of?: { total: number; what: string };
  icon: LucideIcon;
  tone: Tone;
  children: ReactNode;
}) {
  return (
    <div className="flex flex-col gap-1 rounded-lg border border-border bg-surface p-4">
      <dt className="flex items-center gap-1.5 text-sm font-medium text-muted">
        <Icon aria-hidden="true" className={cn("size-4", ICON_TONE[tone])} />
        {label}
      </dt>
      <dd className="text-2xl font-semibold tracking-tight text-fg tabular-nums">
        {formatCount(value)}
        {of ? " " : null}
        {of ? (
          <span className="ml-2 text-sm font-normal text-muted">
            {percent(value, of.total)} of {of.what}
          </span>
        ) : null}
      </dd>
      <dd className="text-xs text-muted">{children}</dd>
    </div>
  );
}

/** The send preview's counts as cards: who is reached, who is skipped and why, and with which links. */
export function SendPreviewSummary({ preview }: { preview: SendPreview }) {
  const copy = CHANNEL_COPY[preview.channel];
  const { members, reachable, skipped, link_tracking: tracking } = preview;
  const ofMembers = { total: members, what: "members" };
  const ofReached = { total: reachable, what: "reached" };
  return (
    <section aria-labelledby="summary-heading" className="flex flex-col gap-3">
      <h2 id="summary-heading" className="text-base font-semibold text-fg">
        {copy.label} send to {preview.audience.name}
      </h2>
      <dl className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
        <StatCard label="Members" value={members} icon={Users} tone="neutral">
          Everyone in the audience now.
        </StatCard>
        <StatCard label="Reachable" value={reachable} of={ofMembers} icon={CircleCheck} tone="success">
          {copy.purposeAllowed} and the membership has {copy.aContact}: they get the {copy.message}.
        </StatCard>
        <StatCard label="Skipped: consent" value={skipped.consent} of={ofMembers} icon={CircleSlash} tone="danger">
          Their recorded consent does not say yes to {copy.purpose.toLowerCase()} (turned off, or never named). Customers with no consent
          recorded are allowed.
        </StatCard>
        <StatCard label="Skipped: no contact" value={skipped.no_contact} of={ofMembers} icon={MailX} tone="warning">
          {copy.purposeAllowed}, but there is no {copy.contact} on the membership, usually because the profile has none.
        </StatCard>
        <StatCard label="Link tracking on" value={tracking.on} of={ofReached} icon={Link2} tone="info">
          Reached members whose {copy.message} carries tracked links.
        </StatCard>
        <StatCard label="Link tracking off" value={tracking.off} of={ofReached} icon={Link2Off} tone="neutral">
          Reached members who have not allowed link tracking: their {copy.message} carries plain links.
        </StatCard>
      </dl>
    </section>
  );
}
