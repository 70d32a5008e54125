import { CircleCheck, CircleMinus, CircleSlash, CircleHelp } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { PURPOSE_INFO, type Purpose } from "@/lib/consent/purposes";
import { evaluateAllPurposes, type Decision } from "@/lib/consent/rules";
import { type ConsentState } from "@/lib/consent/model";

export function DecisionBadge({ decision }: { decision: Decision }) {
  if (decision.allowed) {
    return (
      <Badge tone="success" icon={CircleCheck}>
        Allowed
      </Badge>
    );
  }
  return (
    <Badge tone="danger" icon={CircleSlash}>
      Blocked
    </Badge>
  );
}

/** The stored value itself: true, false, or never named. */
export function StoredValueBadge({ value }: { value: boolean | null | undefined }) {
  if (value === true) return <Badge tone="neutral">true</Badge>;
  if (value === false) return <Badge tone="neutral">false</Badge>;
  return (
    <Badge tone="neutral" icon={CircleHelp}>
      not named
    </Badge>
  );
}

/** One-cell summary for the directory: not recorded, or which purposes are blocked. */
export function ConsentSummary({ consent }: { consent: ConsentState }) {
  if (consent === null) {
    return (
      <Badge tone="info" icon={CircleMinus}>
        Not recorded · all allowed
      </Badge>
    );
  }
  const blocked = evaluateAllPurposes(consent)
    .filter((p) => !p.decision.allowed)
    .map((p) => p.purpose);
  if (blocked.length === 0) {
    return (
      <Badge tone="success" icon={CircleCheck}>
        Recorded · all purposes
      </Badge>
    );
  }
  return (
    <span className="flex flex-wrap items-center gap-1">
      <Badge tone="warning" icon={CircleSlash}>
        {blocked.length} blocked
      </Badge>
      <span className="text-xs text-muted">{blocked.map((p: Purpose) => PURPOSE_INFO[p].label).join(", ")}</span>
    </span>
  );
}
