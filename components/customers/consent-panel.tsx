"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Info, TriangleAlert } from "lucide-react";
import { toast } from "@/components/ui/toast";
import { changeConsentAction, type ConsentActionResult } from "@/lib/actions/consent";
import { describePlan, type PreviewContext } from "@/lib/consent/describe";
import { listNames, type IntegrationRef } from "@/lib/consent/effects";
import { parseConsentKey, vendorNames, type ConsentKey, type ConsentState } from "@/lib/consent/model";
import { panelPlanBase, type PanelConsent, type SavedConsent } from "@/lib/consent/panel";
import { planConsentChange, type ConsentPlan } from "@/lib/consent/plan";
import type { Purpose } from "@/lib/consent/purposes";
import type { FirstChangeMode } from "@/lib/consent/record";
import { evaluateKey } from "@/lib/consent/rules";
import { formatDateTime, plural } from "@/lib/format";
import { ConsentTables } from "./consent-panel-tables";
import { ConsentPreview, FirstChangeDialog } from "./consent-preview";
import { Section } from "./section";
import { UnsavedChangesGuard } from "./unsaved-changes-guard";

export interface ConsentPanelProps {
  initial: PanelConsent;
  /** Every integration; paused ones are shown as such and are not signalled. */
  integrations: Array<IntegrationRef & { enabled: boolean }>;
  /** The profile's audience memberships and contact fields, for the preview's counts. */
  memberships: Array<{ email: string | null; pushToken: string | null }>;
  journeys: Array<{ status: string }>;
  profileEmail: string | null;
  profilePushToken: string | null;
  canEdit: boolean;
}

/** Unsaved switches: a purpose or vendor key to its new value. */
type Draft = Partial<Record<ConsentKey, boolean>>;

class ActionFailure extends Error {
  constructor(readonly result: Extract<ConsentActionResult, { ok: false }>) {
    super(result.error);
  }
}

const consentQueryKey = (customerId: string) => ["consent", customerId] as const;
const HEADING_ID = "consent-heading";

function patchOf(draft: Draft) {
  const purposes: Partial<Record<Purpose, boolean>> = {};
  const vendors: Record<string, boolean> = {};
  for (const [key, value] of Object.entries(draft) as Array<[ConsentKey, boolean]>) {
    const parsed = parseConsentKey(key);
    if (parsed?.kind === "vendor") vendors[parsed.vendor] = value;
    else if (parsed?.kind === "purpose") purposes[parsed.purpose] = value;
  }
  return { purposes, vendors };
}

function allowedNow(state: ConsentState, key: ConsentKey): boolean {
  return evaluateKey(state, parseConsentKey(key)!).allowed;
}

/** The draft without the switches that already match `state`. */
function withoutNoOps(draft: Draft, state: ConsentState): Draft {
  return Object.fromEntries(
    (Object.entries(draft) as Array<[ConsentKey, boolean]>).filter(([key, value]) => value !== allowedNow(state, key)),
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function savedMessage(saved: SavedConsent): string {
  const parts: string[] = [];
  if (saved.emailCleared) parts.push(`email cleared on ${plural(saved.emailCleared, "audience membership")}`);
  if (saved.emailRestored) parts.push(`email restored on ${plural(saved.emailRestored, "audience membership")}`);
  if (saved.pushCleared) parts.push(`push token cleared on ${plural(saved.pushCleared, "audience membership")}`);
  if (saved.pushRestored) parts.push(`push token restored on ${plural(saved.pushRestored, "audience membership")}`);
  if (saved.notified.length) parts.push(`${listNames(saved.notified)} will be notified`);
  return parts.length ? `${capitalize(parts.join("; "))}.` : "No audience membership or integration was affected.";
}

/**
 * The consent panel: a switch per purpose and per vendor. Switching only
 * drafts; the tables and the bar below show what saving would do, drawn
 * from the same plan (lib/consent/plan.ts) the save runs. The save is one
 * server action, shown at once (optimistic) and rolled back with a toast if
 * it fails. A first change asks how to record what was not switched.
 */
export function ConsentPanel(props: ConsentPanelProps) {
  const { initial, canEdit } = props;
  const queryKey = useMemo(() => consentQueryKey(initial.customerId), [initial.customerId]);
  const queryClient = useQueryClient();
  // The server rendered the record; the cache holds it (and the optimistic
  // state while a save is in flight). Nothing refetches on its own.
  const { data: consent } = useQuery({ queryKey, queryFn: () => initial, initialData: initial, staleTime: Infinity, enabled: false });
  const [draft, setDraft] = useState<Draft>({});
  const [reason, setReason] = useState("");
  const [confirmFirst, setConfirmFirst] = useState(false);
  const [conflict, setConflict] = useState<string | null>(null);
  const saveRef = useRef<HTMLButtonElement>(null);
  // Whether the first-change dialog closed on a choice (focus goes to the panel) or was dismissed (back to Save).
  const choseInDialog = useRef(false);
  const focusPanel = () => document.getElementById(HEADING_ID)?.focus();

  const { integrations } = props;
  const context: PreviewContext = useMemo(
    () => ({
      memberships: props.memberships,
      journeys: props.journeys,
      profileEmail: props.profileEmail,
      profilePushToken: props.profilePushToken,
      names: vendorNames(props.integrations),
    }),
    [props.memberships, props.journeys, props.profileEmail, props.profilePushToken, props.integrations],
  );
  const plan = (base: PanelConsent, d: Draft, mode: FirstChangeMode): ConsentPlan | null =>
    planConsentChange(panelPlanBase(base), { patch: patchOf(d), firstChange: mode, source: "dashboard" }, integrations);

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
        firstChange: vars.base.state === null ? vars.mode : undefined,
        reason: vars.reason.trim() || undefined,
      });
      if (!result.ok) throw new ActionFailure(result);
      return result.data;
    },
    onMutate: async (vars) => {
      await queryClient.cancelQueries({ queryKey });
      const previous = queryClient.getQueryData<PanelConsent>(queryKey)!;
      const planned = plan(previous, vars.draft, vars.mode);
      if (planned) queryClient.setQueryData<PanelConsent>(queryKey, { ...previous, version: planned.version, state: planned.after });
      setDraft({});
      setReason("");
      setConflict(null);
      return { previous };
    },
    onError: (error, vars, context) => {
      const failure = error instanceof ActionFailure ? error.result : null;
      const fresh = failure && "conflict" in failure ? failure.conflict : null;
      queryClient.setQueryData(queryKey, fresh ?? context?.previous);
      // Keep what the person switched, so nothing they chose is lost; what the fresh state already says is no longer a change.
      setDraft(fresh ? withoutNoOps(vars.draft, fresh.state) : vars.draft);
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

  const saved = consent.state;
  const entries = Object.entries(draft) as Array<[ConsentKey, boolean]>;
  const dirty = entries.length > 0;
  const firstChange = saved === null;
  const blockPlan = dirty ? plan(consent, draft, "block_unnamed") : null;
  // A first change is shown as "keep the others allowed", which is what the
  // untouched switches say; the dialog then shows both choices.
  const keepPlan = dirty && firstChange ? plan(consent, draft, "keep_allowed") : null;
  const shownPlan = keepPlan ?? blockPlan;
  const shown = shownPlan ? shownPlan.after : saved;

  // Switching back to what is in effect undoes that draft entry.
  const toggle = (key: ConsentKey, value: boolean) =>
    setDraft((d) => {
      const { [key]: _dropped, ...rest } = d;
      return value === allowedNow(saved, key) ? rest : { ...rest, [key]: value };
    });
  const save = (mode: FirstChangeMode) => {
    // One save at a time: a second click would race the first with the same version and "conflict" with itself.
    if (mutation.isPending) return;
    choseInDialog.current = confirmFirst;
    setConfirmFirst(false);
    mutation.mutate({ draft, mode, reason, base: consent });
    // The bar with the Save button goes away with the draft; keep focus in the panel.
    if (!confirmFirst) focusPanel();
  };

  return (
    <Section id={HEADING_ID} title="Consent">
      <UnsavedChangesGuard dirty={dirty} what={`${plural(entries.length, "unsaved consent switch", "unsaved consent switches")}`} />
      {saved !== null ? (
        <p className="text-sm text-muted">
          Recorded, version {consent.version}
          {consent.updatedAt ? <>, last changed {formatDateTime(new Date(consent.updatedAt))}</> : null}. Anything not explicitly allowed is
          blocked.
        </p>
      ) : (
        <p className="flex items-start gap-2 rounded-md border border-info/40 bg-info-subtle px-3 py-2 text-sm text-info">
          <Info aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
          <span>
            <strong>Not recorded: all allowed.</strong> No consent has been recorded for this customer, so every purpose and every vendor is
            allowed. Once consent is recorded, anything not explicitly allowed is blocked.
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

      <ConsentTables
        saved={saved}
        shown={shown}
        integrations={props.integrations}
        switched={new Set(entries.map(([key]) => key))}
        disabled={!canEdit || mutation.isPending}
        onToggle={toggle}
      />

      {dirty ? (
        <ConsentPreview
          draft={entries}
          names={context.names}
          lines={describePlan(shownPlan, context)}
          firstChange={firstChange}
          reason={reason}
          onReason={setReason}
          onSave={() => (firstChange ? setConfirmFirst(true) : save("block_unnamed"))}
          onDiscard={() => {
            setDraft({});
            setConflict(null);
            focusPanel();
          }}
          pending={mutation.isPending}
          saveRef={saveRef}
        />
      ) : null}

      <FirstChangeDialog
        open={confirmFirst && dirty}
        onOpenChange={setConfirmFirst}
        keepLines={describePlan(keepPlan, context)}
        blockLines={describePlan(blockPlan, context)}
        onKeep={() => save("keep_allowed")}
        onBlock={() => save("block_unnamed")}
        pending={mutation.isPending}
        onClosedFocus={() => (choseInDialog.current ? focusPanel() : saveRef.current?.focus())}
      />
    </Section>
  );
}
