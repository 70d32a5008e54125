"use client";

import { useId, type ReactNode } from "react";
import { CirclePause } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Switch } from "@/components/ui/switch";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { IntegrationRef } from "@/lib/consent/effects";
import { storedValue, vendorKey, type ConsentKey, type ConsentState, type ParsedConsentKey } from "@/lib/consent/model";
import { PURPOSE_INFO, PURPOSES } from "@/lib/consent/purposes";
import { evaluateIntegration, evaluateKey } from "@/lib/consent/rules";
import { DecisionBadge, StoredValueBadge } from "./consent-badges";

export interface ConsentTablesProps {
  /** The saved state, and the state the draft would save (the same when nothing is switched). */
  saved: ConsentState;
  shown: ConsentState;
  integrations: Array<IntegrationRef & { enabled: boolean }>;
  /** Keys the person switched. */
  switched: ReadonlySet<ConsentKey>;
  disabled: boolean;
  onToggle: (key: ConsentKey, value: boolean) => void;
}

/**
 * The purpose and vendor tables. Every column follows the draft: Stored and
 * Sync show what saving would record and decide, marked "draft" where that
 * differs from what is saved, so the tables never contradict the preview.
 */
export function ConsentTables({ saved, shown, integrations, switched, disabled, onToggle }: ConsentTablesProps) {
  const row = (key: ParsedConsentKey, id: ConsentKey) => ({
    stored: storedValue(shown, key),
    storedDraft: storedValue(shown, key) !== storedValue(saved, key),
    allowed: evaluateKey(shown, key).allowed,
    unsaved: switched.has(id),
    disabled,
    onChange: (value: boolean) => onToggle(id, value),
  });
  return (
    <>
      <Table label="Consent per purpose" wrapperClassName="max-h-none">
        <THead>
          <TR>
            <TH>Purpose</TH>
            <TH className="hidden sm:table-cell">Controls</TH>
            <TH>Stored</TH>
            <TH className="min-w-32">Allowed</TH>
          </TR>
        </THead>
        <TBody>
          {PURPOSES.map((purpose) => (
            <ConsentSwitchRow
              key={purpose}
              title={PURPOSE_INFO[purpose].label}
              detail={PURPOSE_INFO[purpose].controls}
              {...row({ kind: "purpose", purpose }, purpose)}
            />
          ))}
        </TBody>
      </Table>

      <Table label="Consent per vendor and integration sync" wrapperClassName="max-h-none">
        <THead>
          <TR>
            <TH>Integration</TH>
            <TH className="hidden sm:table-cell">Uses</TH>
            <TH>Stored</TH>
            <TH className="min-w-32">Vendor allowed</TH>
            <TH className="min-w-40">Sync</TH>
          </TR>
        </THead>
        <TBody>
          {integrations.map((integration) => {
            const sync = evaluateIntegration(shown, integration);
            const syncDraft = sync.allowed !== evaluateIntegration(saved, integration).allowed;
            return (
              <ConsentSwitchRow
                key={integration.id}
                title={integration.name}
                detail={integration.purposes.length ? integration.purposes.map((p) => PURPOSE_INFO[p].label).join(", ") : "No purpose"}
                {...row({ kind: "vendor", vendor: integration.vendor }, vendorKey(integration.vendor))}
                extra={
                  <span className="flex flex-col items-start gap-1 text-xs">
                    {integration.enabled ? (
                      <DecisionBadge
                        decision={sync.allowed ? { allowed: true, reason: "granted" } : { allowed: false, reason: "denied" }}
                      />
                    ) : (
                      <Badge tone="neutral" icon={CirclePause}>
                        Paused
                      </Badge>
                    )}
                    {!integration.enabled ? (
                      <span className="text-muted">nothing is synced or signalled</span>
                    ) : sync.allowed ? null : (
                      <span className="text-muted">
                        by{" "}
                        {sync.blockedBy
                          .map((b) => (b.kind === "vendor" ? `the vendor (${integration.name})` : PURPOSE_INFO[b.purpose].label))
                          .join(", ")}
                      </span>
                    )}
                    {syncDraft && integration.enabled ? <DraftTag /> : null}
                  </span>
                }
              />
            );
          })}
        </TBody>
      </Table>
    </>
  );
}

/** Marks a value that only the unsaved draft has; a word, not colour alone. */
function DraftTag({ children = "Draft" }: { children?: ReactNode }) {
  return <span className="rounded bg-warning-subtle px-1.5 text-xs whitespace-nowrap text-warning">{children}</span>;
}

function ConsentSwitchRow(props: {
  title: string;
  detail: string;
  stored: boolean | null | undefined;
  storedDraft: boolean;
  allowed: boolean;
  unsaved: boolean;
  disabled: boolean;
  onChange: (value: boolean) => void;
  extra?: ReactNode;
}) {
  const labelId = useId();
  return (
    <TR>
      <TD>
        <div id={labelId} className="font-medium">
          {props.title}
        </div>
      </TD>
      {/* On a phone the columns that decide (Stored, Allowed, Sync) keep the width; the description hides. */}
      <TD className="hidden text-muted sm:table-cell">{props.detail}</TD>
      <TD>
        <span className="flex flex-col items-start gap-1">
          {props.stored === undefined ? (
            <span className="text-xs text-muted">not recorded</span>
          ) : (
            <StoredValueBadge value={props.stored} />
          )}
          {props.storedDraft ? <DraftTag /> : null}
        </span>
      </TD>
      <TD>
        {/* The tag goes under the switch, so marking a draft never widens the column. */}
        <span className="flex flex-col items-start gap-1">
          <span className="flex items-center gap-2">
            <Switch checked={props.allowed} onCheckedChange={props.onChange} disabled={props.disabled} aria-labelledby={labelId} />
            <span className="text-xs">{props.allowed ? "Allowed" : "Blocked"}</span>
          </span>
          {props.unsaved ? <DraftTag>Unsaved</DraftTag> : null}
        </span>
      </TD>
      {props.extra !== undefined ? <TD>{props.extra}</TD> : null}
    </TR>
  );
}
