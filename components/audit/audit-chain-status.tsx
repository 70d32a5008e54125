import { ShieldAlert, ShieldCheck, ShieldQuestion } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { auditChainStatus } from "@/lib/audit/queries";
import type { ChainBreakReason, ChainVerification } from "@/lib/audit/verify";
import { plural } from "@/lib/format";

const REASON: Record<ChainBreakReason, string> = {
  hash_mismatch: "Its content no longer matches its hash: the entry was changed after it was written",
  prev_hash_mismatch: "It does not link to the entry before it: that entry was changed or replaced",
  sequence_gap: "The entry before it in its chain is missing: an entry was deleted",
};

/** The whole log re-checked in the database (at most a minute ago); streamed so the table need not wait. */
export async function AuditChainStatus() {
  let checkedAt: Date;
  let status: ChainVerification;
  try {
    ({ checkedAt, result: status } = await auditChainStatus());
  } catch (error) {
    // The log itself still reads fine; say the check did not run rather than fail the page.
    console.error("audit chain verification failed", error);
    return (
      <div role="alert" className="flex gap-2 rounded-md border border-warning/40 bg-warning-subtle px-3 py-2 text-sm text-warning">
        <ShieldQuestion aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
        <p>The chain could not be verified just now. Reload the page to try again.</p>
      </div>
    );
  }
  const checked = (
    <>
      Checked at <time dateTime={checkedAt.toISOString()}>{checkedAt.toISOString().slice(11, 19)} UTC</time>
    </>
  );
  if (status.ok) {
    return (
      <p className="flex flex-wrap items-center gap-2 text-sm text-muted">
        <Badge tone="success" icon={ShieldCheck}>
          {status.entries === 0
            ? "Chain verified: no entries yet"
            : `Chain verified: ${plural(status.entries, "entry", "entries")} in ${plural(status.chains, "chain", "chains")}`}
        </Badge>
        <span>Each entry’s hash and link to the one before it were recomputed in the database. {checked}.</span>
      </p>
    );
  }
  const { id, chain, chainSeq, reason } = status.brokenAt;
  return (
    <div role="alert" className="flex gap-2 rounded-md border border-danger/40 bg-danger-subtle px-3 py-2 text-sm text-danger">
      <ShieldAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
      <div>
        <p className="font-medium">
          Chain broken at entry #{id} (chain {chain}, position {chainSeq}): {reason.replace(/_/g, " ")}
        </p>
        <p>
          {REASON[reason]}. {plural(status.verifiedEntries, "entry", "entries")} before it checked out; only the first break is shown.
          Investigate before relying on this log as evidence. {checked}.
        </p>
      </div>
    </div>
  );
}

export function AuditChainStatusSkeleton() {
  return (
    <p aria-busy="true" className="text-sm text-muted">
      Verifying the audit chain…
    </p>
  );
}
