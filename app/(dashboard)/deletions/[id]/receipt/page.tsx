import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Download } from "lucide-react";
import { PageHeader } from "@/components/layout/page-header";
import { PrintButton } from "@/components/deletions/print-button";
import { RetentionPolicy } from "@/components/deletions/retention-policy";
import { DeletionStatusBadge, extensionWords, REGIME_LABEL, SOURCE_LABEL } from "@/components/deletions/status-badges";
import { SignalStatusBadge } from "@/components/integrations/status-badges";
import { Button } from "@/components/ui/button";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { requirePageAccess } from "@/lib/auth/session";
import { getDeletionReceipt } from "@/lib/deletions/queries";
import { formatDateTime } from "@/lib/format";

export const metadata: Metadata = { title: "Proof of deletion" };

// Printed, only the receipt shows: the sidebar, header and buttons are hidden.
const PRINT_CSS = `@media print {
  body * { visibility: hidden; }
  #deletion-receipt, #deletion-receipt * { visibility: visible; }
  #deletion-receipt { position: absolute; inset: 0 auto auto 0; width: 100%; padding: 0; }
  #deletion-receipt [role="region"] { max-height: none; overflow: visible; border: 0; }
  @page { margin: 16mm; }
}`;

function When({ iso }: { iso: string | null }) {
  return iso ? <time dateTime={iso}>{formatDateTime(new Date(iso))}</time> : <span className="text-muted">Not yet</span>;
}

function Row({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-1 gap-1 border-b border-border py-2 sm:grid-cols-[12rem_1fr]">
      <dt className="text-sm font-medium text-muted">{term}</dt>
      <dd className="text-sm break-words text-fg">{children}</dd>
    </div>
  );
}

export default async function DeletionReceiptPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageAccess("deletions:read");
  const { id } = await params;
  const receipt = await getDeletionReceipt(id);
  if (!receipt) notFound();
  const json = `/api/deletion-requests/${receipt.request_id}/receipt`;

  return (
    <>
      <style>{PRINT_CSS}</style>
      <PageHeader
        title="Proof of deletion"
        description="The receipt of this deletion request. It holds no personal data: no name, email, phone or external id."
        breadcrumbs={[
          { label: "Deletions", href: "/deletions" },
          { label: `Request ${receipt.request_id.slice(0, 8)}`, href: `/deletions/${receipt.request_id}` },
          { label: "Receipt" },
        ]}
        actions={
          <div className="flex flex-wrap gap-2 print:hidden">
            <PrintButton />
            <Button asChild variant="secondary">
              <a href={`${json}?download=1`} download>
                <Download aria-hidden="true" />
                Download JSON
              </a>
            </Button>
          </div>
        }
      />
      <article id="deletion-receipt" aria-labelledby="receipt-heading" className="flex max-w-4xl flex-col gap-6">
        <h2 id="receipt-heading" className="text-lg font-semibold text-fg">
          Deletion request {receipt.request_id}
        </h2>
        <dl>
          <Row term="Request id">
            <code className="text-xs">{receipt.request_id}</code>
          </Row>
          <Row term="Regime">{REGIME_LABEL[receipt.regime]}</Row>
          <Row term="Received through">{SOURCE_LABEL[receipt.source]}</Row>
          <Row term="Status">
            <DeletionStatusBadge status={receipt.status} />
          </Row>
          <Row term="Received">
            <When iso={receipt.received_at} />
          </Row>
          <Row term="Due">
            <When iso={receipt.due_at} />
          </Row>
          <Row term="Extension">
            {receipt.extension.amount > 0 ? (
              <>
                {extensionWords(receipt.extension.amount, receipt.extension.unit)}
                {receipt.extension.extended_at ? (
                  <>
                    , on <When iso={receipt.extension.extended_at} />
                  </>
                ) : null}
              </>
            ) : (
              "None"
            )}
          </Row>
          <Row term="Erased">
            <When iso={receipt.erased_at} />
          </Row>
          <Row term="Completed">
            <When iso={receipt.completed_at} />
          </Row>
          <Row term="Tombstone hash">
            {receipt.identifier_hash ? (
              <>
                <code className="text-xs break-all">{receipt.identifier_hash}</code>
                {receipt.identifier_kind ? (
                  <div className="text-xs text-muted">of the {receipt.identifier_kind.replace("_", " ")}</div>
                ) : null}
              </>
            ) : (
              <span className="text-muted">None yet: the customer has not been erased</span>
            )}
            <p className="mt-1 text-xs text-muted">{receipt.identifier_hash_explanation.replace(" (its kind is identifier_kind)", "")}</p>
          </Row>
        </dl>

        <section aria-labelledby="acks-heading" className="flex flex-col gap-3">
          <h3 id="acks-heading" className="text-base font-semibold text-fg">
            Acknowledgements
          </h3>
          {receipt.acknowledgements.length === 0 ? (
            <p className="text-sm text-muted">No integration was connected, so none had to be told.</p>
          ) : (
            <Table label="Acknowledgements per integration" wrapperClassName="max-h-none">
              <THead>
                <TR>
                  <TH>Integration</TH>
                  <TH>Delete signal</TH>
                  <TH>Acknowledged</TH>
                  <TH>HTTP status</TH>
                  <TH>Receiver&apos;s reference</TH>
                </TR>
              </THead>
              <TBody>
                {receipt.acknowledgements.map((a, i) => (
                  <TR key={`${a.integration}-${i}`}>
                    <TD>{a.integration}</TD>
                    <TD>
                      <SignalStatusBadge status={a.status} />
                    </TD>
                    <TD className="whitespace-nowrap">
                      <When iso={a.acknowledged_at} />
                    </TD>
                    <TD>{a.http_status ?? <span className="text-muted">—</span>}</TD>
                    <TD className="font-mono text-xs">{a.receiver_reference ?? <span className="text-muted">—</span>}</TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          )}
        </section>

        <RetentionPolicy policy={receipt.retention_policy} headingId="receipt-retention-heading" headingLevel={3} />
        <p className="text-xs text-muted">
          Issued <When iso={receipt.issued_at} />.
        </p>
      </article>
    </>
  );
}
