import { CircleCheck, CircleSlash, CircleAlert } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { PURPOSE_INFO, isPurpose } from "@/lib/consent/purposes";
import type { CustomerProfile } from "@/lib/customers/profile";
import { formatAmount, formatDate, formatDateTime } from "@/lib/format";
import { Section } from "./section";

// Empty on the membership means consent cleared it, unless the profile has no value to copy.
function contact(value: string | null, onProfile: string | null) {
  if (value) return value;
  return onProfile ? <span className="text-xs text-muted italic">cleared</span> : <span className="text-muted">none on profile</span>;
}

export function AudiencesSection({ profile }: { profile: CustomerProfile }) {
  const { audiences } = profile;
  return (
    <Section id="audiences-heading" title="Audiences" description="The contact copy a send uses; consent clears it per channel.">
      {audiences.length === 0 ? (
        <EmptyState title="In no audience" titleAs="h3" description="This customer is not a member of any audience." />
      ) : (
        <Table label="Audience memberships" wrapperClassName="max-h-none">
          <THead>
            <TR>
              <TH>Audience</TH>
              <TH>Email on membership</TH>
              <TH>Push token on membership</TH>
              <TH numeric>Joined</TH>
            </TR>
          </THead>
          <TBody>
            {audiences.map((a) => (
              <TR key={a.id}>
                <TD className="font-medium">{a.name}</TD>
                <TD>{contact(a.email, profile.email)}</TD>
                <TD className="font-mono text-xs">{contact(a.pushToken, profile.pushToken)}</TD>
                <TD numeric>{formatDate(a.joinedAt)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </Section>
  );
}

const SIGNAL_TONE = { pending: "info", delivered: "success", retrying: "warning", failed: "danger" } as const;

/** What the integrations are being told about this customer: the outbox rows, newest first. */
export function SignalsSection({ signals }: { signals: CustomerProfile["signals"] }) {
  return (
    <Section
      id="signals-heading"
      title="Integration signals"
      description="Consent-change and delete signals queued for connected tools; delivery status updates as they are sent."
    >
      {signals.length === 0 ? (
        <EmptyState
          title="No signals queued"
          titleAs="h3"
          description="No consent change or deletion has affected an integration for this customer."
        />
      ) : (
        <Table label="Integration signals" wrapperClassName="max-h-none">
          <THead>
            <TR>
              <TH>Integration</TH>
              <TH>Signal</TH>
              <TH>Status</TH>
              <TH numeric>Attempts</TH>
              <TH numeric>Queued</TH>
            </TR>
          </THead>
          <TBody>
            {signals.map((sig) => (
              <TR key={sig.id}>
                <TD className="font-medium">{sig.integration}</TD>
                <TD>
                  {sig.kind === "delete"
                    ? "Delete"
                    : sig.allowed === false
                      ? "Consent change: stop syncing"
                      : sig.allowed
                        ? "Consent change: may sync"
                        : "Consent change"}
                  <div>
                    <code className="text-xs text-muted">{sig.id}</code>
                  </div>
                </TD>
                <TD>
                  <Badge tone={SIGNAL_TONE[sig.status]}>{sig.status}</Badge>
                </TD>
                <TD numeric>{sig.attempts}</TD>
                <TD numeric>{formatDateTime(sig.createdAt)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </Section>
  );
}

export function JourneysSection({ journeys }: { journeys: CustomerProfile["journeys"] }) {
  return (
    <Section id="journeys-heading" title="Journeys">
      {journeys.length === 0 ? (
        <EmptyState title="In no journey" titleAs="h3" description="This customer is not enrolled in any journey." />
      ) : (
        <Table label="Journey enrolments" wrapperClassName="max-h-none">
          <THead>
            <TR>
              <TH>Journey</TH>
              <TH>Journey status</TH>
              <TH>Enrolment</TH>
              <TH>Step</TH>
              <TH numeric>Enrolled</TH>
            </TR>
          </THead>
          <TBody>
            {journeys.map((j) => (
              <TR key={j.id}>
                <TD className="font-medium">{j.name}</TD>
                <TD>
                  <Badge tone="neutral">{j.journeyStatus}</Badge>
                </TD>
                <TD>
                  <Badge tone={j.status === "active" ? "accent" : "neutral"}>{j.status}</Badge>
                </TD>
                <TD>{j.step ?? "—"}</TD>
                <TD numeric>{formatDate(j.enrolledAt)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </Section>
  );
}

function reasonText(reason: string | null) {
  if (!reason) return "—";
  const purpose = reason.startsWith("consent:") ? reason.slice("consent:".length) : "";
  return isPurpose(purpose) ? `${PURPOSE_INFO[purpose].label} not allowed` : reason;
}

const OUTCOME = {
  processed: { tone: "success", icon: CircleCheck, label: "Processed" },
  partially_withheld: { tone: "warning", icon: CircleAlert, label: "Reward withheld" },
  withheld: { tone: "danger", icon: CircleSlash, label: "Withheld" },
} as const;

const REWARD_LABEL = { coupon: "Coupon", punchcard: "Punch card" } as const;
const KIND_LABEL: Record<string, string> = { points: "points", tier: "tier", coupon: "coupon", punchcard: "punch card" };

function Rewards({ event }: { event: CustomerProfile["events"][number] }) {
  if (event.rewards.length === 0 && event.withheld.length === 0) return <span className="text-muted">—</span>;
  return (
    <div className="flex flex-wrap gap-1">
      {event.rewards.map((r) => (
        <Badge key={`r-${r.campaign}`} tone="accent" title={r.campaign}>
          {REWARD_LABEL[r.kind] ?? r.kind} {r.reward}
        </Badge>
      ))}
      {event.withheld.map((w) => (
        <Badge
          key={`w-${w.campaign}`}
          tone="neutral"
          icon={CircleSlash}
          title={`${w.campaign}: ${isPurpose(w.purpose) ? PURPOSE_INFO[w.purpose].label : w.purpose} not allowed`}
        >
          withheld: {KIND_LABEL[w.kind] ?? w.kind} (consent)
        </Badge>
      ))}
    </div>
  );
}

export function EventsSection({ events }: { events: CustomerProfile["events"] }) {
  return (
    <Section id="events-heading" title="Recent loyalty events" description={`The latest ${events.length || ""} events, newest first.`}>
      {events.length === 0 ? (
        <EmptyState title="No loyalty events" titleAs="h3" description="Events appear here as they are received." />
      ) : (
        <Table label="Recent loyalty events" wrapperClassName="max-h-none">
          <THead>
            <TR>
              <TH>Occurred</TH>
              <TH>Type</TH>
              <TH numeric>Amount</TH>
              <TH>Outcome</TH>
              <TH>Why</TH>
              <TH numeric>Points</TH>
              <TH numeric>Tier</TH>
              <TH>Rewards</TH>
            </TR>
          </THead>
          <TBody>
            {events.map((e) => {
              const o = OUTCOME[e.outcome];
              return (
                <TR key={e.id}>
                  <TD className="whitespace-nowrap">{formatDateTime(e.occurredAt)}</TD>
                  <TD>{e.type}</TD>
                  <TD numeric>{formatAmount(e.amount)}</TD>
                  <TD>
                    <Badge tone={o.tone} icon={o.icon}>
                      {o.label}
                    </Badge>
                  </TD>
                  <TD className="text-muted">{reasonText(e.withheldReason)}</TD>
                  <TD numeric>{e.pointsAwarded}</TD>
                  <TD numeric>{e.tierProgress}</TD>
                  <TD>
                    <Rewards event={e} />
                  </TD>
                </TR>
              );
            })}
          </TBody>
        </Table>
      )}
    </Section>
  );
}
