import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { FileCheck, FileJson } from "lucide-react";
import { PageHeader } from "@/components/layout/page-header";
import { DeletionDeliveries } from "@/components/deletions/deletion-deliveries";
import { ExtensionForm } from "@/components/deletions/extension-form";
import { RequestAutoRefresh } from "@/components/deletions/request-refresh";
import { RetentionPolicy } from "@/components/deletions/retention-policy";
import {
  DeadlineBadge,
  DeletionStatusBadge,
  extensionWords,
  REGIME_LABEL,
  REQUESTER_TYPE_LABEL,
  SOURCE_LABEL,
} from "@/components/deletions/status-badges";
import { Button } from "@/components/ui/button";
import { AUDIT_ACTION_LABEL, isAuditAction } from "@/lib/audit/actions";
import { can } from "@/lib/auth/permissions";
import { requirePageAccess } from "@/lib/auth/session";
import { deletionDefaults } from "@/lib/deletions/config";
import { deletionRequestAudit, getDeletionRequest } from "@/lib/deletions/queries";
import { customerRetention } from "@/lib/deletions/retention";
import { formatDate, formatDateTime, plural } from "@/lib/format";

export const metadata: Metadata = { title: "Deletion request" };

// No loading.tsx: an unknown id must answer 404, not stream a 200 first.

function When({ at }: { at: Date | null }) {
  return at ? <time dateTime={at.toISOString()}>{formatDateTime(at)}</time> : <span className="text-muted">Not yet</span>;
}

function Item({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="flex flex-col gap-0.5">
      <dt className="text-xs font-medium text-muted">{term}</dt>
      <dd className="text-sm text-fg">{children}</dd>
    </div>
  );
}

export default async function DeletionRequestPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageAccess("deletions:read");
  const { id } = await params;
  const request = await getDeletionRequest(id);
  if (!request) notFound();
  const audit = await deletionRequestAudit(request);
  const canExtend = can(actor.role, "customers:delete");
  const canRetry = can(actor.role, "deliveries:retry");
  const { timeZone } = deletionDefaults();
  const waiting = request.deliveries.some((d) => d.status === "pending" || d.status === "retrying");
  const notifying = request.status === "erased" || request.status === "notifying" || (request.status === "failed" && waiting);
  const counts = request.summary;

  return (
    <>
      <PageHeader
        title="Deletion request"
        description={<span className="font-mono text-xs break-all">{request.id}</span>}
        breadcrumbs={[{ label: "Deletions", href: "/deletions" }, { label: `Request ${request.id.slice(0, 8)}` }]}
        actions={
          // A receipt proves an erasure: none before it ran.
          request.erasedAt === null ? undefined : (
            <div className="flex flex-wrap gap-2">
              <Button asChild variant="secondary">
                <Link href={`/deletions/${request.id}/receipt`}>
                  <FileCheck aria-hidden="true" />
                  Receipt
                </Link>
              </Button>
              <Button asChild variant="ghost">
                <a href={`/api/deletion-requests/${request.id}/receipt`}>
                  <FileJson aria-hidden="true" />
                  Receipt as JSON
                </a>
              </Button>
            </div>
          )
        }
      />
      <RequestAutoRefresh active={notifying} />
      <section aria-labelledby="request-heading" className="flex flex-col gap-3">
        <h2 id="request-heading" className="sr-only">
          The request
        </h2>
        <dl className="grid grid-cols-1 gap-4 rounded-lg border border-border bg-surface p-4 sm:grid-cols-2 lg:grid-cols-4">
          <Item term="Status">
            <DeletionStatusBadge status={request.status} />
          </Item>
          <Item term="Received">
            <When at={request.receivedAt} />
          </Item>
          <Item term="Who asked, and how">
            <span className="break-all">{request.requestedBy.label}</span>
            <div className="text-xs text-muted">
              {REQUESTER_TYPE_LABEL[request.requestedBy.type] ?? request.requestedBy.type} · {SOURCE_LABEL[request.source]}
            </div>
          </Item>
          <Item term="Regime">{REGIME_LABEL[request.regime]}</Item>
          <Item term="Due">
            <div className="flex flex-wrap items-center gap-2">
              <time dateTime={request.dueAt.toISOString()}>{formatDate(request.dueAt, timeZone)}</time>
              <DeadlineBadge state={request.deadline} always={request.status !== "completed"} />
            </div>
            <div className="text-xs text-muted">End of that day, {timeZone}</div>
          </Item>
          <Item term="Reason given">
            {request.reason ? (
              <p className="text-sm whitespace-pre-line">{request.reason}</p>
            ) : (
              <span className="text-muted">None given</span>
            )}
          </Item>
          <Item term="Extension">
            {request.extension > 0 ? (
              <>
                <span>{extensionWords(request.extension, request.extensionUnit)}</span>
                {request.extendedAt ? <div className="text-xs text-muted">on {formatDateTime(request.extendedAt)}</div> : null}
                {request.extensionReason ? <p className="mt-1 text-sm whitespace-pre-line">{request.extensionReason}</p> : null}
              </>
            ) : (
              <span className="text-muted">None</span>
            )}
          </Item>
          <Item term="Erased">
            <When at={request.erasedAt} />
          </Item>
          <Item term="Completed">
            <When at={request.completedAt} />
          </Item>
        </dl>
        {request.erasedAt === null ? (
          <p role="status" className="rounded-md border border-border bg-surface p-3 text-sm">
            Not erased yet: this request came with a bulk upload that is waiting for a second privacy officer&apos;s approval or for its
            turn to be processed.{" "}
            {request.batchId ? (
              <Link className="font-medium underline" href={`/deletions/bulk/${request.batchId}`}>
                Open the bulk deletion
              </Link>
            ) : null}
          </p>
        ) : null}
        {request.erasedAt ? (
          <p className="text-sm text-muted">
            The erasure left {plural(counts.audiences ?? 0, "audience")} and {plural(counts.journeys ?? 0, "journey")}, removed the
            identifiers from {plural(counts.events ?? 0, "event")} and {plural(counts.consent_changes ?? 0, "consent change")}, and queued a
            delete signal for {plural(counts.integrations ?? 0, "integration")}.
          </p>
        ) : null}
      </section>

      <DeletionDeliveries deliveries={request.deliveries} canRetry={canRetry} />

      {canExtend && request.status !== "completed" ? (
        <section aria-labelledby="extension-heading" className="flex flex-col gap-3">
          <h2 id="extension-heading" className="text-base font-semibold text-fg">
            Extend the deadline
          </h2>
          {request.extension < request.maxExtension ? (
            <ExtensionForm
              key={request.extension}
              requestId={request.id}
              regime={request.regime}
              receivedAt={request.receivedAt.toISOString()}
              timeZone={timeZone}
              current={request.extension}
              max={request.maxExtension}
              unit={request.extensionUnit}
            />
          ) : (
            <p className="text-sm text-muted">
              Already extended by {extensionWords(request.extension, request.extensionUnit)}, the most {REGIME_LABEL[request.regime]}{" "}
              allows.
            </p>
          )}
        </section>
      ) : null}

      {request.erasedAt ? <RetentionPolicy policy={customerRetention()} headingId="retention-heading" /> : null}

      <section aria-labelledby="audit-heading" className="flex flex-col gap-3">
        <h2 id="audit-heading" className="text-base font-semibold text-fg">
          Audit trail
        </h2>
        {audit.length === 0 ? (
          <p className="text-sm text-muted">No audit entries for this request.</p>
        ) : (
          <ol className="flex flex-col gap-2">
            {audit.map((entry) => (
              <li key={entry.id} className="flex flex-wrap gap-x-3 text-sm">
                <time dateTime={entry.occurredAt.toISOString()} className="text-muted">
                  {formatDateTime(entry.occurredAt)}
                </time>
                <span className="font-medium">{isAuditAction(entry.action) ? AUDIT_ACTION_LABEL[entry.action] : entry.action}</span>
                <span className="break-all text-muted">by {entry.actor.label ?? entry.actor.type}</span>
              </li>
            ))}
          </ol>
        )}
        <p className="text-xs">
          <Link href={`/audit?targetType=deletion_request&targetId=${request.id}`} className="text-accent hover:underline">
            Open in the audit log
          </Link>
        </p>
      </section>
    </>
  );
}
