import { CircleCheck, CircleMinus, CircleSlash, CircleHelp } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import type { ConsentState } from "@/lib/consent/model";
import type { Decision } from "@/lib/consent/rules";
import { summarizeConsent, type IntegrationVendor } from "@/lib/customers/consent-summary";

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

/** One-cell summary for the directory: not recorded, or which purposes and vendors are blocked, by name. */
export function ConsentSummary({ consent, integrations }: { consent: ConsentState; integrations: readonly IntegrationVendor[] }) {
  const summary = summarizeConsent(consent, integrations);
  if (!summary.recorded) {
    return (
      <Badge tone="info" icon={CircleMinus}>
        Not recorded · all allowed
      </Badge>
    );
  }
  if (summary.blocked.length === 0) {
    return (
      <Badge tone="success" icon={CircleCheck}>
        Recorded · all allowed
      </Badge>
    );
  }
  return (
    <span className="flex flex-wrap items-center gap-1">
      <Badge tone="warning" icon={CircleSlash}>
        {summary.blocked.length} blocked
      </Badge>
      <span className="text-xs text-muted">{summary.blocked.map((b) => b.label).join(", ")}</span>
    </span>
  );
}
