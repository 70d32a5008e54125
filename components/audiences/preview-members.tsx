import Link from "next/link";
import { CircleCheck, CircleSlash, Link2, Link2Off, MailX, UsersRound } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { KeysetPagination } from "@/components/ui/keyset-pagination";
import { Table, TBody, TD, TR } from "@/components/ui/table";
import { listPreviewMembers, type PreviewMember, type SendPreview } from "@/lib/audiences/send-preview";
import type { Channel, MemberStatus } from "@/lib/validations/audiences";
import { CHANNEL_COPY, STATUS_FILTER_LABEL, formatCount } from "./copy";
import { PreviewMembersHead } from "./preview-members-skeleton";

interface Props {
  preview: SendPreview;
  status?: MemberStatus;
  after?: string;
  before?: string;
}

function filterCount(preview: SendPreview, status: MemberStatus | "all") {
  const { members, reachable, skipped } = preview;
  return {
    all: members,
    reachable,
    skipped: skipped.consent + skipped.no_contact,
    consent: skipped.consent,
    no_contact: skipped.no_contact,
  }[status];
}

function StatusFilter({ preview, status, base }: { preview: SendPreview; status?: MemberStatus; base: Record<string, string> }) {
  const options = ["all", "reachable", "skipped", "consent", "no_contact"] as const;
  return (
    <nav aria-label="Filter members by status">
      <ul className="flex flex-wrap gap-1">
        {options.map((option) => {
          const current = (status ?? "all") === option;
          const query = new URLSearchParams(option === "all" ? base : { ...base, status: option });
          return (
            <li key={option}>
              <Link
                href={`/audiences?${query}`}
                aria-current={current ? "page" : undefined}
                className={cn(
                  "inline-flex h-8 items-center gap-1.5 rounded-md border px-2.5 text-xs font-medium whitespace-nowrap",
                  current
                    ? "border-accent/40 bg-accent-subtle text-accent"
                    : "border-border bg-surface text-muted hover:bg-surface-muted hover:text-fg",
                )}
              >
                {STATUS_FILTER_LABEL[option]}
                <span className="tabular-nums">{formatCount(filterCount(preview, option))}</span>
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

function StatusCell({ member, channel }: { member: PreviewMember; channel: Channel }) {
  const copy = CHANNEL_COPY[channel];
  if (member.status === "reachable") {
    return (
      <Badge tone="success" icon={CircleCheck}>
        Reachable
      </Badge>
    );
  }
  if (member.status === "consent") {
    const why = member.channelDecision.allowed ? "" : member.channelDecision.reason === "denied" ? "turned off" : "never named";
    return (
      <span className="flex flex-wrap items-center gap-1.5">
        <Badge tone="danger" icon={CircleSlash}>
          Skipped: consent
        </Badge>
        <span className="text-xs text-muted">
          {copy.purpose} {why}
        </span>
      </span>
    );
  }
  return (
    <span className="flex flex-wrap items-center gap-1.5">
      <Badge tone="warning" icon={MailX}>
        Skipped: no contact
      </Badge>
      <span className="text-xs text-muted">no {copy.contact}</span>
    </span>
  );
}

function ContactCell({ member }: { member: PreviewMember }) {
  if (member.hasContact) return <span>Present</span>;
  // An empty copy with a value on the profile was cleared (by consent); otherwise there is nothing to copy.
  return <span className="text-muted">{member.contactOnProfile ? "Missing (cleared)" : "Missing (none on profile)"}</span>;
}

/** One page of the audience's members with what a send would do for each. */
export async function PreviewMembers({ preview, status, after, before }: Props) {
  const channel = preview.channel;
  const base = { audience: preview.audience.id, channel };
  const matching = filterCount(preview, status ?? "all");
  // The counts already say when nothing matches: no need to walk the audience to find out.
  const page =
    matching === 0
      ? { members: [], next: undefined, previous: undefined }
      : await listPreviewMembers(preview.audience.id, channel, { status, after, before });
  const copy = CHANNEL_COPY[channel];

  return (
    <section aria-labelledby="members-heading" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="members-heading" className="text-base font-semibold text-fg">
          Members
        </h2>
        <p className="text-xs text-muted" aria-live="polite">
          {page.members.length === 0 ? "No members on this page" : `Showing ${page.members.length} on this page, by customer id`}
        </p>
      </div>
      <StatusFilter preview={preview} status={status} base={base} />
      {page.members.length === 0 ? (
        <EmptyState
          icon={UsersRound}
          titleAs="h3"
          title={
            preview.members === 0 ? "This audience has no members" : `No members: ${STATUS_FILTER_LABEL[status ?? "all"].toLowerCase()}`
          }
          description={
            preview.members === 0
              ? "Customers appear here when they join the audience."
              : "No member of this audience has this status on this channel."
          }
          action={
            preview.members > 0 ? (
              <Button asChild variant="secondary" size="sm">
                <Link href={`/audiences?${new URLSearchParams(base)}`}>Show all members</Link>
              </Button>
            ) : undefined
          }
        />
      ) : (
        <Table label="Audience members">
          <PreviewMembersHead contact={copy.contact[0]!.toUpperCase() + copy.contact.slice(1)} />
          <TBody>
            {page.members.map((m) => (
              <TR key={m.customerId}>
                <TD>
                  <Link
                    href={`/customers/${m.customerId}`}
                    className="font-medium text-fg underline-offset-2 hover:underline focus-visible:underline"
                  >
                    {m.name ?? "Unnamed customer"}
                  </Link>
                </TD>
                <TD>
                  <ContactCell member={m} />
                </TD>
                <TD>
                  <StatusCell member={m} channel={channel} />
                </TD>
                <TD>
                  {m.linkTracking ? (
                    <Badge tone="info" icon={Link2}>
                      On
                    </Badge>
                  ) : (
                    <Badge tone="neutral" icon={Link2Off}>
                      Off · plain links
                    </Badge>
                  )}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
      <KeysetPagination path="/audiences" filters={status ? { ...base, status } : base} previous={page.previous} next={page.next} />
    </section>
  );
}
