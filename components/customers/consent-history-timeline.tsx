import {
  ArrowRight,
  CircleCheck,
  CircleHelp,
  CircleMinus,
  CircleSlash,
  Clock,
  Cog,
  FileUp,
  KeyRound,
  LayoutDashboard,
  Plug,
  User,
  type LucideIcon,
} from "lucide-react";
import type { ReactNode } from "react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import {
  relativeTime,
  truncateMiddle,
  type ConsentHistoryEntry,
  type DecisionState,
  type DiffRow,
  type HistoryActorType,
  type HistorySource,
} from "@/lib/consent/history-diff";
import type { ConsentAsOf } from "@/lib/consent/history";
import { CopyValueButton } from "./consent-history-copy";

const ACTOR: Record<HistoryActorType, { label: string; tone: BadgeTone; icon: LucideIcon }> = {
  user: { label: "User", tone: "neutral", icon: User },
  api_key: { label: "API key", tone: "info", icon: KeyRound },
  system: { label: "System", tone: "accent", icon: Cog },
};

const SOURCE: Record<HistorySource, { label: string; icon: LucideIcon }> = {
  dashboard: { label: "Dashboard", icon: LayoutDashboard },
  api: { label: "API", icon: Plug },
  import: { label: "Import", icon: FileUp },
};

// The word says both what was stored and whether it let data through; colour only repeats it.
const STATE: Record<DecisionState, { label: string; tone: BadgeTone; icon: LucideIcon }> = {
  allowed: { label: "Allowed", tone: "success", icon: CircleCheck },
  blocked: { label: "Blocked", tone: "danger", icon: CircleSlash },
  "not named": { label: "Not named · blocked", tone: "danger", icon: CircleHelp },
  "not recorded": { label: "Not recorded · allowed", tone: "info", icon: CircleMinus },
};

/** Seconds matter in proof of consent, so not lib/format's minute precision. */
export function HistoryTime({ at, now }: { at: Date; now?: Date }) {
  const iso = at.toISOString();
  return (
    <span className="text-xs text-muted">
      <time dateTime={iso} className="font-mono text-fg">
        {iso.slice(0, 10)} {iso.slice(11, 19)} UTC
      </time>
      {now ? <> · {relativeTime(at, now)}</> : null}
    </span>
  );
}

export function StateBadge({ state }: { state: DecisionState }) {
  const s = STATE[state];
  return (
    <Badge tone={s.tone} icon={s.icon}>
      {s.label}
    </Badge>
  );
}

function ValueText({ row, value }: { row: Extract<DiffRow, { kind: "value" }>; value: string | null }) {
  if (value === null) return <span className="text-xs text-muted italic">none</span>;
  if (row.key === "consent_timestamp") return <HistoryTime at={new Date(value)} />;
  return (
    <code className="font-mono text-xs break-all" title={value}>
      {truncateMiddle(value, 24)}
    </code>
  );
}

function DiffTable({ entry }: { entry: ConsentHistoryEntry }) {
  return (
    <table className="w-full max-w-2xl border-collapse text-sm">
      <caption className="sr-only">What version {entry.version} changed</caption>
      <thead>
        <tr className="text-left text-xs text-muted">
          <th scope="col" className="py-1 pr-3 font-medium">
            Purpose or vendor
          </th>
          <th scope="col" className="py-1 pr-3 font-medium">
            Before
          </th>
          <th scope="col" className="sr-only">
            Becomes
          </th>
          <th scope="col" className="py-1 font-medium">
            After
          </th>
        </tr>
      </thead>
      <tbody>
        {entry.diff.map((row) => (
          <tr key={row.key} className="border-t border-border">
            <th scope="row" className="py-1 pr-3 text-left font-normal">
              {row.label}
            </th>
            <td className="py-1 pr-3">
              {row.kind === "decision" ? <StateBadge state={row.before} /> : <ValueText row={row} value={row.before} />}
            </td>
            <td className="py-1 pr-3 text-muted">
              <ArrowRight aria-hidden="true" className="size-3.5" />
            </td>
            <td className="py-1">
              {row.kind === "decision" ? <StateBadge state={row.after} /> : <ValueText row={row} value={row.after} />}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function HistoryEntry({
  entry,
  now,
  filtered,
  children,
}: {
  entry: ConsentHistoryEntry;
  now: Date;
  filtered: boolean;
  /** Below the entry: when each integration was told of it. */
  children?: ReactNode;
}) {
  const actor = ACTOR[entry.actorType] ?? ACTOR.system;
  const source = SOURCE[entry.source];
  const headingId = `consent-version-${entry.version}`;
  const others = filtered ? entry.changed.length - entry.diff.length : 0;
  return (
    <li className="relative pb-6 pl-6 last:pb-0">
      {/* The dot on the timeline's line. */}
      <span aria-hidden="true" className="absolute top-1.5 -left-[5px] size-2.5 rounded-full border-2 border-surface bg-accent" />
      <article aria-labelledby={headingId} className={cn("flex flex-col gap-2", entry.afterAsOf && "opacity-70")}>
        <div className="flex flex-wrap items-center gap-2">
          <h3 id={headingId} className="text-sm font-semibold text-fg">
            {entry.before === null ? `Version ${entry.version}: first recording` : `Version ${entry.version}`}
          </h3>
          {entry.afterAsOf ? (
            <Badge tone="warning" icon={Clock}>
              After the “as of” time: not yet in effect then
            </Badge>
          ) : null}
          <Badge tone="neutral" icon={source.icon}>
            <span className="sr-only">Source: </span>
            {source.label}
          </Badge>
          <HistoryTime at={entry.changedAt} now={now} />
        </div>
        <p className="flex flex-wrap items-center gap-1.5 text-sm">
          <span className="text-muted">By</span>
          <Badge tone={actor.tone} icon={actor.icon}>
            {actor.label}
          </Badge>
          <span className="text-fg">{entry.actorLabel}</span>
        </p>
        {entry.diff.length > 0 ? <DiffTable entry={entry} /> : <p className="text-sm text-muted">No purpose or vendor changed.</p>}
        {others > 0 ? (
          <p className="text-xs text-muted">
            This change also touched {others} other {others === 1 ? "purpose, vendor or field" : "purposes, vendors or fields"}; clear the
            filter to see {others === 1 ? "it" : "them"}.
          </p>
        ) : null}
        <p className="text-sm">
          <span className="text-muted">Reason: </span>
          {entry.reason ? (
            <span className="whitespace-pre-line">{entry.reason}</span>
          ) : (
            <span className="text-muted italic">No reason given</span>
          )}
        </p>
        {entry.consentTimestamp || entry.consentString ? (
          <dl className="grid grid-cols-[auto_1fr] items-center gap-x-3 gap-y-1 text-xs">
            {entry.consentTimestamp ? (
              <>
                <dt className="text-muted">Consent given at</dt>
                <dd>
                  <HistoryTime at={entry.consentTimestamp} />
                </dd>
              </>
            ) : null}
            {entry.consentString ? (
              <>
                <dt className="text-muted">TC string</dt>
                <dd className="flex flex-wrap items-center gap-1">
                  <code className="font-mono break-all" title={entry.consentString}>
                    {truncateMiddle(entry.consentString, 40)}
                  </code>
                  <CopyValueButton value={entry.consentString} label={`TC string of version ${entry.version}`} />
                </dd>
              </>
            ) : null}
          </dl>
        ) : null}
        {children}
      </article>
    </li>
  );
}

/** The consent in effect at the chosen instant, compactly. */
export function AsOfCard({
  asOf,
  children,
}: {
  asOf: ConsentAsOf;
  /** Below: what each integration had been told by then. */ children?: ReactNode;
}) {
  return (
    <section aria-labelledby="consent-as-of-heading" className="flex flex-col gap-2 rounded-lg border border-border bg-surface p-3">
      <h3 id="consent-as-of-heading" className="text-sm font-semibold text-fg">
        Consent in effect as of <HistoryTime at={asOf.at} />
      </h3>
      {asOf.recorded ? (
        <p className="text-xs text-muted">
          Version {asOf.version}, recorded <HistoryTime at={asOf.changedAt} />. Anything not explicitly allowed is blocked.
        </p>
      ) : (
        <p className="flex items-center gap-2 text-sm text-info">
          <CircleMinus aria-hidden="true" className="size-4 shrink-0" />
          <strong>Not recorded: everything allowed.</strong>
        </p>
      )}
      <ul aria-label="Purposes" className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
        {asOf.purposes.map((p) => (
          <li key={p.purpose} className="flex items-center gap-1.5">
            {p.label} <StateBadge state={p.state} />
          </li>
        ))}
      </ul>
      {asOf.vendors.length > 0 ? (
        <ul aria-label="Vendors" className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
          {asOf.vendors.map((v) => (
            <li key={v.vendor} className="flex items-center gap-1.5">
              {v.label} <StateBadge state={v.state} />
            </li>
          ))}
        </ul>
      ) : null}
      {children}
    </section>
  );
}
