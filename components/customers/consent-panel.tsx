"use client";

import { useEffect, useId, useMemo, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Info, TriangleAlert } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/input";
import { Switch } from "@/components/ui/switch";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { toast } from "@/components/ui/toast";
import { changeConsentAction, type ConsentActionResult } from "@/lib/actions/consent";
import { applyConsentPatch, consentEffects, describeEffects, membershipsTouched, type IntegrationRef } from "@/lib/consent/effects";
import type { PanelConsent, SavedConsent } from "@/lib/consent/panel";
import { PURPOSE_INFO, PURPOSES, isPurpose, type Purpose } from "@/lib/consent/purposes";
import type { FirstChangeMode } from "@/lib/consent/record";
import { evaluateIntegration, evaluatePurpose, evaluateVendor, type ConsentState } from "@/lib/consent/rules";
import { formatDateTime, plural } from "@/lib/format";
import { DecisionBadge, StoredValueBadge } from "./consent-badges";
import { Section } from "./section";

export interface ConsentPanelProps {
  initial: PanelConsent;
  integrations: IntegrationRef[];
  /** The profile's audience memberships and contact fields, for the preview's counts. */
  memberships: Array<{ email: string | null; pushToken: string | null }>;
  profileEmail: string | null;
  profilePushToken: string | null;
  canEdit: boolean;
}

/** Unsaved switches: a purpose name or `vendors.<slug>` to its new value. */
type Draft = Record<string, boolean>;

class ActionFailure extends Error {
  constructor(readonly result: Extract<ConsentActionResult, { ok: false }>) {
    super(result.error);
  }
}

function stateOf(consent: PanelConsent): ConsentState {
  return consent.recorded ? { purposes: consent.purposes, vendors: consent.vendors } : null;
}

function patchOf(draft: Draft) {
  const purposes: Partial<Record<Purpose, boolean>> = {};
  const vendors: Record<string, boolean> = {};
  for (const [key, value] of Object.entries(draft)) {
    if (key.startsWith("vendors.")) vendors[key.slice("vendors.".length)] = value;
    else if (isPurpose(key)) purposes[key] = value;
  }
  return { purposes, vendors };
}

/** What the panel would look like (and do) once the draft is saved. */
function preview(consent: PanelConsent, draft: Draft, mode: FirstChangeMode, props: ConsentPanelProps) {
  const before = stateOf(consent);
  const after = applyConsentPatch(
    before,
    patchOf(draft),
    mode,
    props.integrations.map((i) => i.vendor),
  );
  const effects = consentEffects(before, after, props.integrations);
  const counts = {
    email: membershipsTouched(effects.email, "email", props.memberships, props.profileEmail),
    push: membershipsTouched(effects.push, "pushToken", props.memberships, props.profilePushToken),
  };
  return { after, lines: describeEffects(effects, counts) };
}

function savedMessage(saved: SavedConsent): string {
  const parts: string[] = [];
  if (saved.emailCleared) parts.push(`email cleared on ${plural(saved.emailCleared, "membership")}`);
  if (saved.emailRestored) parts.push(`email restored on ${plural(saved.emailRestored, "membership")}`);
  if (saved.pushCleared) parts.push(`push token cleared on ${plural(saved.pushCleared, "membership")}`);
  if (saved.pushRestored) parts.push(`push token restored on ${plural(saved.pushRestored, "membership")}`);
  if (saved.notified.length) parts.push(`${saved.notified.join(", ")} will be notified`);
  return parts.length ? `${parts.join("; ")}.` : "No audience or integration was affected.";
}

/**
 * The consent panel: a switch per purpose and per vendor. Switching only
 * drafts; the bar below previews the effects and saves them in one server
 * action, shown at once (optimistic) and rolled back with a toast if the save
 * fails. A first change asks how to record what was not switched.
 */
export function ConsentPanel(props: ConsentPanelProps) {
  const { initial, integrations, canEdit } = props;
  const queryKey = useMemo(() => ["consent", initial.customerId] as const, [initial.customerId]);
  const queryClient = useQueryClient();
  // The server rendered the record; the cache holds it (and the optimistic
  // state while a save is in flight). Nothing refetches on its own.
  const { data: consent } = useQuery({ queryKey, queryFn: () => initial, initialData: initial, staleTime: Infinity, enabled: false });
  const [draft, setDraft] = useState<Draft>({});
  const [reason, setReason] = useState("");
  const [confirmFirst, setConfirmFirst] = useState(false);
  const [conflict, setConflict] = useState<string | null>(null);
  const reasonId = useId();

  // A newer render from the server (after a save or a refresh) wins over the cache.
  useEffect(() => {
    const cached = queryClient.getQueryData<PanelConsent>(queryKey);
    if (!cached || initial.version > cached.version) queryClient.setQueryData(queryKey, initial);
  }, [initial, queryClient, queryKey]);

  const mutation = useMutation({
    mutationFn: async (vars: { draft: Draft; mode: FirstChangeMode; reason: string; base: PanelConsent }) => {
      const { purposes, vendors } = patchOf(vars.draft);
      const result = await changeConsentAction({
        customerId: vars.base.customerId,
        expectedVersion: vars.base.version,
        purposes,
        vendors,
        firstChange: vars.base.recorded ? undefined : vars.mode,
        reason: vars.reason.trim() || undefined,
      });
      if (!result.ok) throw new ActionFailure(result);
      return result.data;
    },
    onMutate: async (vars) => {
      await queryClient.cancelQueries({ queryKey });
      const previous = queryClient.getQueryData<PanelConsent>(queryKey)!;
      const after = applyConsentPatch(
        stateOf(previous),
        patchOf(vars.draft),
        vars.mode,
        integrations.map((i) => i.vendor),
      );
      queryClient.setQueryData<PanelConsent>(queryKey, {
        ...previous,
        recorded: true,
        version: previous.version + 1,
        purposes: Object.fromEntries(PURPOSES.map((p) => [p, after.purposes[p] ?? null])) as PanelConsent["purposes"],
        vendors: after.vendors,
      });
      setDraft({});
      setReason("");
      setConflict(null);
      return { previous };
    },
    onError: (error, vars, context) => {
      const failure = error instanceof ActionFailure ? error.result : null;
      const fresh = failure && "conflict" in failure ? failure.conflict : null;
      queryClient.setQueryData(queryKey, fresh ?? context?.previous);
      // Keep what the person switched, so nothing they chose is lost.
      setDraft(vars.draft);
      setReason(vars.reason);
      if (fresh) setConflict(failure!.error);
      toast({ tone: "danger", title: fresh ? "Not saved: consent changed meanwhile" : "Consent not saved", description: error.message });
    },
    onSuccess: (saved) => {
      queryClient.setQueryData(queryKey, saved.consent);
      toast({
        tone: "success",
        title: saved.changed ? `Consent saved (version ${saved.consent.version})` : "Nothing to save",
        description: savedMessage(saved),
      });
    },
  });

  const state = stateOf(consent);
  const dirty = Object.keys(draft).length > 0;
  const inEffect = (key: string): boolean =>
    key.startsWith("vendors.")
      ? evaluateVendor(state, key.slice("vendors.".length)).allowed
      : evaluatePurpose(state, key as Purpose).allowed;
  const allowedNow = (key: string): boolean => (key in draft ? draft[key]! : inEffect(key));
  // Switching back to what is in effect undoes that draft entry.
  const toggle = (key: string, value: boolean) =>
    setDraft((d) => {
      const { [key]: _dropped, ...rest } = d;
      return value === inEffect(key) ? rest : { ...rest, [key]: value };
    });
  const storedValue = (key: string): boolean | null | undefined => {
    if (!consent.recorded) return undefined;
    if (key.startsWith("vendors.")) {
      const vendor = key.slice(8);
      return Object.hasOwn(consent.vendors, vendor) ? consent.vendors[vendor] : null;
    }
    return consent.purposes[key as Purpose];
  };

  const save = (mode: FirstChangeMode) => {
    setConfirmFirst(false);
    mutation.mutate({ draft, mode, reason, base: consent });
  };
  const blockPreview = dirty ? preview(consent, draft, "block_unnamed", props) : null;
  const keepPreview = dirty && !consent.recorded ? preview(consent, draft, "keep_allowed", props) : null;

  return (
    <Section id="consent-heading" title="Consent">
      {consent.recorded ? (
        <p className="text-sm text-muted">
          Recorded, version {consent.version}
          {consent.updatedAt ? <>, last changed {formatDateTime(new Date(consent.updatedAt))}</> : null}. Only purposes and vendors set to
          true are allowed.
        </p>
      ) : (
        <p className="flex items-start gap-2 rounded-md border border-info/40 bg-info-subtle px-3 py-2 text-sm text-info">
          <Info aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
          <span>
            <strong>Not recorded: all allowed.</strong> No consent has been recorded for this customer, so every purpose and every vendor is
            allowed. Once consent is recorded, only purposes set to true are allowed.
          </span>
        </p>
      )}
      {!canEdit ? <p className="text-sm text-muted">Your role can view consent but not change it.</p> : null}
      {conflict ? (
        <p
          role="alert"
          className="flex items-start gap-2 rounded-md border border-warning/40 bg-warning-subtle px-3 py-2 text-sm text-warning"
        >
          <TriangleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
          <span>{conflict}</span>
        </p>
      ) : null}

      <Table label="Consent per purpose" wrapperClassName="max-h-none">
        <THead>
          <TR>
            <TH>Purpose</TH>
            <TH>Controls</TH>
            <TH>Stored</TH>
            <TH>Allowed</TH>
          </TR>
        </THead>
        <TBody>
          {PURPOSES.map((purpose) => (
            <ConsentRow
              key={purpose}
              switchKey={purpose}
              title={PURPOSE_INFO[purpose].label}
              code={purpose}
              detail={PURPOSE_INFO[purpose].controls}
              stored={storedValue(purpose)}
              allowed={allowedNow(purpose)}
              unsaved={purpose in draft}
              disabled={!canEdit || mutation.isPending}
              onChange={toggle}
            />
          ))}
        </TBody>
      </Table>

      <Table label="Consent per vendor and integration sync" wrapperClassName="max-h-none">
        <THead>
          <TR>
            <TH>Integration</TH>
            <TH>Uses</TH>
            <TH>Stored</TH>
            <TH>Vendor allowed</TH>
            <TH>Sync</TH>
          </TR>
        </THead>
        <TBody>
          {integrations.map((integration) => {
            const key = `vendors.${integration.vendor}`;
            const sync = evaluateIntegration(state, integration);
            return (
              <ConsentRow
                key={integration.id}
                switchKey={key}
                title={integration.name}
                code={integration.vendor}
                detail={integration.purposes.length ? integration.purposes.map((p) => PURPOSE_INFO[p].label).join(", ") : "No purpose"}
                stored={storedValue(key)}
                allowed={allowedNow(key)}
                unsaved={key in draft}
                disabled={!canEdit || mutation.isPending}
                onChange={toggle}
                extra={
                  sync.allowed ? (
                    <DecisionBadge decision={{ allowed: true, reason: "granted" }} />
                  ) : (
                    <span className="flex flex-wrap items-center gap-1 text-xs">
                      <DecisionBadge decision={{ allowed: false, reason: "denied" }} />
                      <span className="text-muted">
                        by{" "}
                        {sync.blockedBy.map((b) => (b.kind === "vendor" ? `vendor ${b.vendor}` : PURPOSE_INFO[b.purpose].label)).join(", ")}
                      </span>
                    </span>
                  )
                }
              />
            );
          })}
        </TBody>
      </Table>

      {dirty && blockPreview ? (
        <div
          role="region"
          aria-labelledby="consent-preview-heading"
          className="flex flex-col gap-3 rounded-lg border border-accent/40 bg-accent-subtle/40 p-4"
        >
          <h3 id="consent-preview-heading" className="text-sm font-semibold text-fg">
            Unsaved changes: {plural(Object.keys(draft).length, "switch", "switches")}
          </h3>
          <ul className="flex flex-col gap-1 text-sm" aria-label="What saving will do">
            {Object.entries(draft).map(([key, value]) => (
              <li key={key}>
                Turning {value ? "on" : "off"} <code className="text-xs">{key}</code>
              </li>
            ))}
            {(consent.recorded ? blockPreview.lines : (keepPreview?.lines ?? [])).map((line) => (
              <li key={line} className="text-fg">
                {line}
              </li>
            ))}
            {consent.recorded && blockPreview.lines.length === 0 ? (
              <li className="text-muted">No audience or integration is affected.</li>
            ) : null}
            {!consent.recorded ? (
              <li className="text-muted">This is the first consent recorded for this customer: you will choose how to record the rest.</li>
            ) : null}
          </ul>
          <Field id={reasonId} label="Reason (optional)" hint="Kept in the consent history, e.g. “Customer asked by email”.">
            <Input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} placeholder="Why is this changing?" />
          </Field>
          <div className="flex flex-wrap gap-2">
            <Button onClick={() => (consent.recorded ? save("block_unnamed") : setConfirmFirst(true))} pending={mutation.isPending}>
              Save changes
            </Button>
            <Button
              variant="secondary"
              onClick={() => {
                setDraft({});
                setConflict(null);
              }}
              disabled={mutation.isPending}
            >
              Discard
            </Button>
          </div>
        </div>
      ) : null}

      <Dialog open={confirmFirst} onOpenChange={setConfirmFirst}>
        <DialogContent
          title="Record consent for the first time"
          description="Nothing is recorded for this customer yet, so everything is allowed. Once consent is recorded, a purpose or vendor that is not set to true is blocked."
        >
          {blockPreview && keepPreview ? (
            <div className="flex flex-col gap-4 text-sm">
              <FirstChangeChoice
                title="Record the others as allowed"
                body="Every purpose and vendor you did not switch is recorded as allowed, as it is in effect now."
                lines={keepPreview.lines}
                action={<Button onClick={() => save("keep_allowed")}>Record others as allowed</Button>}
              />
              <FirstChangeChoice
                title="Block everything not switched on"
                body="The consent API's rule: purposes and vendors you did not switch are not named, so they become blocked."
                lines={blockPreview.lines}
                action={
                  <Button variant="danger" onClick={() => save("block_unnamed")}>
                    Block the others
                  </Button>
                }
              />
            </div>
          ) : null}
        </DialogContent>
      </Dialog>
    </Section>
  );
}

function FirstChangeChoice({ title, body, lines, action }: { title: string; body: string; lines: string[]; action: React.ReactNode }) {
  return (
    <div className="flex flex-col gap-2 rounded-md border border-border p-3">
      <h3 className="font-semibold">{title}</h3>
      <p className="text-muted">{body}</p>
      <ul className="list-disc pl-5">
        {lines.length ? lines.map((line) => <li key={line}>{line}</li>) : <li>No audience or integration is affected.</li>}
      </ul>
      <div>{action}</div>
    </div>
  );
}

function ConsentRow(props: {
  switchKey: string;
  title: string;
  code: string;
  detail: string;
  stored: boolean | null | undefined;
  allowed: boolean;
  unsaved: boolean;
  disabled: boolean;
  onChange: (key: string, value: boolean) => void;
  extra?: React.ReactNode;
}) {
  const labelId = useId();
  return (
    <TR>
      <TD>
        <div id={labelId} className="font-medium">
          {props.title}
        </div>
        <code className="text-xs text-muted">{props.code}</code>
      </TD>
      <TD className="text-muted">{props.detail}</TD>
      <TD>
        {props.stored === undefined ? <span className="text-xs text-muted">not recorded</span> : <StoredValueBadge value={props.stored} />}
      </TD>
      <TD>
        <span className="flex items-center gap-2">
          <Switch
            checked={props.allowed}
            onCheckedChange={(value) => props.onChange(props.switchKey, value)}
            disabled={props.disabled}
            aria-labelledby={labelId}
            data-consent-key={props.switchKey}
          />
          <span className="text-xs">{props.allowed ? "Allowed" : "Blocked"}</span>
          {props.unsaved ? <span className="rounded bg-warning-subtle px-1.5 text-xs text-warning">unsaved</span> : null}
        </span>
      </TD>
      {props.extra !== undefined ? <TD>{props.extra}</TD> : null}
    </TR>
  );
}
