import { Info } from "lucide-react";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { PURPOSE_INFO } from "@/lib/consent/purposes";
import { evaluateAllPurposes, evaluateIntegration, evaluateVendor } from "@/lib/consent/rules";
import type { CustomerProfile } from "@/lib/customers/profile";
import { formatDateTime } from "@/lib/format";
import { DecisionBadge, StoredValueBadge } from "./consent-badges";
import { Section } from "./section";

/** Consent as it is effectively evaluated, beside what is stored. */
export function ConsentOverview({ profile }: { profile: CustomerProfile }) {
  const { consent, consentMeta, integrations } = profile;
  return (
    <Section id="consent-heading" title="Consent">
      {consent === null ? (
        <p className="flex items-start gap-2 rounded-md border border-info/40 bg-info-subtle px-3 py-2 text-sm text-info">
          <Info aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
          <span>
            <strong>Not recorded: all allowed.</strong> No consent has been recorded for this customer, so every purpose and
            every vendor is allowed. Once consent is recorded, only purposes set to true are allowed.
          </span>
        </p>
      ) : (
        <p className="text-sm text-muted">
          Recorded, version {consentMeta!.version}, last changed {formatDateTime(consentMeta!.updatedAt)}
          {consentMeta!.consentTimestamp ? <>; given by the customer {formatDateTime(consentMeta!.consentTimestamp)}</> : null}.
          Only purposes and vendors set to true are allowed.
        </p>
      )}
      <Table label="Consent per purpose" wrapperClassName="max-h-none">
        <THead>
          <TR>
            <TH>Purpose</TH>
            <TH>Controls</TH>
            <TH>Stored</TH>
            <TH>In effect</TH>
          </TR>
        </THead>
        <TBody>
          {evaluateAllPurposes(consent).map(({ purpose, decision }) => (
            <TR key={purpose}>
              <TD>
                <div className="font-medium">{PURPOSE_INFO[purpose].label}</div>
                <code className="text-xs text-muted">{purpose}</code>
              </TD>
              <TD className="text-muted">{PURPOSE_INFO[purpose].controls}</TD>
              <TD>{consent === null ? <span className="text-xs text-muted">not recorded</span> : <StoredValueBadge value={consent.purposes[purpose]} />}</TD>
              <TD>
                <DecisionBadge decision={decision} />
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
      <Table label="Consent per vendor and integration sync" wrapperClassName="max-h-none">
        <THead>
          <TR>
            <TH>Integration</TH>
            <TH>Vendor</TH>
            <TH>Stored</TH>
            <TH>Vendor in effect</TH>
            <TH>Sync</TH>
          </TR>
        </THead>
        <TBody>
          {integrations.map((integration) => {
            const sync = evaluateIntegration(consent, integration);
            return (
              <TR key={integration.id}>
                <TD className="font-medium">{integration.name}</TD>
                <TD>
                  <code className="text-xs">{integration.vendor}</code>
                </TD>
                <TD>
                  {consent === null ? (
                    <span className="text-xs text-muted">not recorded</span>
                  ) : (
                    <StoredValueBadge value={Object.hasOwn(consent.vendors, integration.vendor) ? consent.vendors[integration.vendor] : undefined} />
                  )}
                </TD>
                <TD>
                  <DecisionBadge decision={evaluateVendor(consent, integration.vendor)} />
                </TD>
                <TD className="text-xs">
                  {sync.allowed ? (
                    <DecisionBadge decision={{ allowed: true, reason: "granted" }} />
                  ) : (
                    <span className="flex flex-wrap items-center gap-1">
                      <DecisionBadge decision={{ allowed: false, reason: "denied" }} />
                      <span className="text-muted">
                        by {sync.blockedBy.map((b) => (b.kind === "vendor" ? `vendor ${b.vendor}` : PURPOSE_INFO[b.purpose].label)).join(", ")}
                      </span>
                    </span>
                  )}
                </TD>
              </TR>
            );
          })}
        </TBody>
      </Table>
    </Section>
  );
}
