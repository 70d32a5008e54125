import Link from "next/link";
import { Cog, KeyRound, User, type LucideIcon } from "lucide-react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { AUDIT_ACTION_LABEL, isAuditAction, type AuditActorType } from "@/lib/audit/actions";
import type { AuditEntryView } from "@/lib/audit/queries";
import { summaryLines } from "./summary-lines";

const KIND: Record<AuditActorType, { label: string; tone: BadgeTone; icon: LucideIcon }> = {
  user: { label: "User", tone: "neutral", icon: User },
  api_key: { label: "API key", tone: "info", icon: KeyRound },
  system: { label: "System", tone: "accent", icon: Cog },
};

const linkClass = "underline-offset-2 hover:underline focus-visible:underline";

/** Seconds matter in an audit trail, so not lib/format's minute precision. */
export function EntryTime({ at }: { at: Date }) {
  const iso = at.toISOString();
  return (
    <time dateTime={iso} className="font-mono text-xs whitespace-nowrap">
      {iso.slice(0, 10)} {iso.slice(11, 19)}
    </time>
  );
}

export function EntryActor({ actor }: { actor: AuditEntryView["actor"] }) {
  const kind = KIND[actor.type];
  return (
    <div className="flex flex-col items-start gap-1">
      <Badge tone={kind.tone} icon={kind.icon}>
        {kind.label}
      </Badge>
      {actor.id ? (
        <Link
          href={`/audit?actor=${encodeURIComponent(actor.id)}`}
          className={`text-xs text-fg ${linkClass}`}
          title="Show this actor's entries"
        >
          {actor.label ?? actor.id}
        </Link>
      ) : (
        <span className="text-xs text-fg">{actor.label ?? "unknown"}</span>
      )}
    </div>
  );
}

export function EntryAction({ action }: { action: string }) {
  return (
    <div className="flex flex-col">
      <span className="whitespace-nowrap">{isAuditAction(action) ? AUDIT_ACTION_LABEL[action] : action}</span>
      <code className="text-xs text-muted">{action}</code>
    </div>
  );
}

export function EntryTarget({ target }: { target: AuditEntryView["target"] }) {
  if (!target) return <span className="text-muted">—</span>;
  const query = new URLSearchParams({ targetType: target.type, targetId: target.id });
  return (
    <div className="flex flex-col">
      <span className="text-xs text-muted">{target.type}</span>
      <Link href={`/audit?${query}`} className={`font-mono text-xs whitespace-nowrap ${linkClass}`} title="Show this target's entries">
        {target.id}
      </Link>
    </div>
  );
}

const SHOWN = 3;

export function EntrySummary({ summary }: { summary: AuditEntryView["summary"] }) {
  const lines = summaryLines(summary);
  if (lines.length === 0) return <span className="text-muted">—</span>;
  const list = (items: string[]) => (
    <ul className="font-mono text-xs">
      {items.map((line, i) => (
        <li key={i} className="wrap-break-word">
          {line}
        </li>
      ))}
    </ul>
  );
  if (lines.length <= SHOWN) return list(lines);
  // The rest on request, so one busy entry does not stretch the whole table.
  return (
    <details>
      <summary className="cursor-pointer font-mono text-xs">
        {lines.slice(0, SHOWN).join("; ")} <span className="text-muted">and {lines.length - SHOWN} more</span>
      </summary>
      {list(lines.slice(SHOWN))}
    </details>
  );
}
