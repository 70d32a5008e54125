import { CircleCheck, CircleHelp, CircleX, Clock, RotateCw, TriangleAlert, type LucideIcon } from "lucide-react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { formatDuration, relativeTo } from "@/components/integrations/format";
import type { ConsentAsOf } from "@/lib/consent/history";
import { evaluateIntegration } from "@/lib/consent/rules";
import type { SignalFate, ToldAsOf } from "@/lib/consent/told";
import { HistoryTime } from "./consent-history-timeline";

// "When each vendor was told" (issue 10, item 6), beside each history entry and in the "as of" card.

const FATE: Record<SignalFate["status"], { label: string; tone: BadgeTone; icon: LucideIcon }> = {
  pending: { label: "Pending", tone: "info", icon: Clock },
  retrying: { label: "Retrying", tone: "warning", icon: RotateCw },
  delivered: { label: "Delivered", tone: "success", icon: CircleCheck },
  failed: { label: "Failed", tone: "danger", icon: CircleX },
};

const decision = (allowed: boolean | null) => (allowed === false ? "stop syncing" : allowed ? "may sync" : "consent changed");

function answer(fate: SignalFate): string {
  const what = fate.lastStatusCode !== null ? `HTTP ${fate.lastStatusCode}` : null;
  return [what, fate.lastError].filter(Boolean).join(": ") || "no answer";
}

function FateLine({ fate, now }: { fate: SignalFate; now: Date }) {
  switch (fate.status) {
    case "delivered":
      return (
        <>
          at <HistoryTime at={fate.deliveredAt ?? fate.createdAt} />
          {fate.deliveredAt ? (
            <span className="text-xs text-muted">
              {" "}
              ({formatDuration(fate.deliveredAt.getTime() - fate.createdAt.getTime())} after the change)
            </span>
          ) : null}
          {fate.receiverRef ? (
            <span className="text-xs">
              {" · receiver ref "}
              <code className="font-mono">{fate.receiverRef}</code>
            </span>
          ) : null}
        </>
      );
    case "failed":
      return (
        <span className="text-xs">
          gave up after {fate.attempts} {fate.attempts === 1 ? "attempt" : "attempts"}
          {fate.failedAt ? (
            <>
              {" at "}
              <HistoryTime at={fate.failedAt} />
            </>
          ) : null}
          : <span className="text-danger">{answer(fate)}</span>
        </span>
      );
    case "retrying":
      return (
        <span className="text-xs">
          {fate.attempts} {fate.attempts === 1 ? "attempt" : "attempts"} so far, last: <span className="text-danger">{answer(fate)}</span>;
          next attempt {relativeTo(fate.nextAttemptAt, now)}
        </span>
      );
    case "pending":
      return <span className="text-xs text-muted">queued, not delivered yet</span>;
  }
}

/** Per integration, the signal one consent change queued and what became of it. */
export function SignalFates({ fates, version, now }: { fates: readonly SignalFate[]; version: number; now: Date }) {
  const headingId = `consent-version-${version}-told`;
  return (
    <div className="flex flex-col gap-1">
      <h4 id={headingId} className="text-xs font-medium text-muted">
        When each integration was told
      </h4>
      {fates.length === 0 ? (
        <p className="text-xs text-muted">No integration was signalled: this change did not alter what a connected integration may sync.</p>
      ) : (
        <ul aria-labelledby={headingId} className="flex flex-col gap-1 text-sm">
          {fates.map((fate) => {
            const look = FATE[fate.status];
            return (
              <li key={fate.signalId} className="flex flex-wrap items-center gap-x-1.5 gap-y-0.5">
                <span className="font-medium text-fg">{fate.integration}</span>
                <span className="text-xs text-muted">({decision(fate.allowed)})</span>
                <Badge tone={look.tone} icon={look.icon}>
                  {look.label}
                </Badge>
                <FateLine fate={fate} now={now} />
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

/** What each integration had been told by the "as of" time, beside what the consent then allowed. */
export function ToldAsOfList({ told, asOf }: { told: readonly ToldAsOf[]; asOf: ConsentAsOf }) {
  if (told.length === 0) return null;
  const consent = asOf.recorded ? asOf.consent : null;
  return (
    <div className="flex flex-col gap-1">
      <h4 id="consent-as-of-told" className="text-xs font-medium text-muted">
        What each integration had been told by then
      </h4>
      <ul aria-labelledby="consent-as-of-told" className="flex flex-col gap-1 text-sm">
        {told.map((t) => {
          const allowedThen = evaluateIntegration(consent, { vendor: t.vendor, purposes: t.purposes }).allowed;
          const current = t.told ? t.told.allowed === allowedThen : allowedThen;
          return (
            <li key={t.integrationId} className="flex flex-wrap items-center gap-x-1.5 gap-y-0.5">
              <span className="font-medium text-fg">{t.integration}</span>
              {t.told ? (
                <>
                  <Badge tone={t.told.allowed === false ? "danger" : "success"} icon={t.told.allowed === false ? CircleX : CircleCheck}>
                    {t.told.allowed === false ? "Told: blocked" : "Told: allowed"}
                  </Badge>
                  <span className="text-xs text-muted">
                    {t.told.version !== null ? `version ${t.told.version}, ` : ""}delivered <HistoryTime at={t.told.deliveredAt} />
                    {t.told.receiverRef ? (
                      <>
                        {" · receiver ref "}
                        <code className="font-mono">{t.told.receiverRef}</code>
                      </>
                    ) : null}
                  </span>
                </>
              ) : (
                <Badge tone="neutral" icon={CircleHelp}>
                  Not told yet
                </Badge>
              )}
              {current ? (
                <span className="text-xs text-muted">
                  {t.told ? "— as the consent then had it." : "— nothing to tell: syncing was allowed then, as an integration assumes."}
                </span>
              ) : (
                <span className="inline-flex items-center gap-1 text-xs text-warning">
                  <TriangleAlert aria-hidden="true" className="size-3.5" />
                  Behind: the consent then {allowedThen ? "allowed" : "blocked"} syncing.
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
