import { Suspense } from "react";
import Form from "next/form";
import Link from "next/link";
import { ChevronDown, Download, Filter, History } from "lucide-react";
import { ParamErrors } from "@/components/audit/param-errors";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Input, Label } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { consentAsOf, listConsentHistory } from "@/lib/consent/history";
import { historyKeyLabel } from "@/lib/consent/history-diff";
import { parseConsentKey, vendorKey, vendorNames, type VendorNames } from "@/lib/consent/model";
import { PURPOSE_INFO, PURPOSES } from "@/lib/consent/purposes";
import { HISTORY_PAGE_SIZE, type HistoryPageParams } from "@/lib/validations/consent-history";
import type { ParamError } from "@/lib/validations/search-params";
import { toldAsOf, signalFatesForChanges } from "@/lib/consent/told";
import { AsOfCard, HistoryEntry } from "./consent-history-timeline";
import { SignalFates, ToldAsOfList } from "./consent-history-told";
import { Section } from "./section";

const HEADING_ID = "consent-history-heading";
const HINT_ID = "consent-history-as-of-hint";

export type ConsentHistoryProps = {
  customerId: string;
  /** Parsed from the page's URL by parseHistoryPageParams; bad ones arrive in `errors`, already dropped. */
  params: HistoryPageParams;
  errors?: readonly ParamError[];
  /** The integrations: their vendors are offered in the filter and evaluated as of a date. */
  integrations?: ReadonlyArray<{ vendor: string; name: string }>;
};

/** The value a datetime-local input shows: UTC, seconds only when there are any. */
function asOfInputValue(at: Date | undefined): string {
  if (!at) return "";
  const iso = at.toISOString();
  return iso.endsWith(":00.000Z") ? iso.slice(0, 16) : iso.slice(0, 19);
}

function historyHref(customerId: string, query: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) search.set(k, v);
  const qs = search.toString();
  return `/customers/${customerId}${qs ? `?${qs}` : ""}#${HEADING_ID}`;
}

/**
 * The consent history section of the profile: a GET form (filter by purpose,
 * "as of" a time), the export links, and the timeline, which streams in.
 */
export function ConsentHistory({ customerId, params, errors = [], integrations = [] }: ConsentHistoryProps) {
  const names = vendorNames(integrations);
  const vendors = integrations.map((i) => i.vendor);
  const filtered = params.purpose ? parseConsentKey(params.purpose) : null;
  const vendorKeys = [...new Set([...vendors, ...(filtered?.kind === "vendor" ? [filtered.vendor] : [])])].sort().map(vendorKey);
  const exportQuery = params.purpose ? `&purpose=${encodeURIComponent(params.purpose)}` : "";
  const exportHref = (format: "csv" | "json") => `/api/customers/${customerId}/consent-history?format=${format}${exportQuery}`;
  const asOfValue = asOfInputValue(params.asOf);

  return (
    <Section
      id={HEADING_ID}
      title="Consent history"
      description="Every change to this customer's consent: when, who, through what, what changed and why. History is never edited."
    >
      <div className="flex flex-wrap items-end justify-between gap-3">
        <Form
          action={`/customers/${customerId}#${HEADING_ID}`}
          aria-label="Filter the consent history"
          className="flex flex-wrap items-end gap-2"
        >
          <div className="flex flex-col gap-1">
            <Label htmlFor="historyPurpose">Purpose or vendor</Label>
            <Select id="historyPurpose" name="historyPurpose" defaultValue={params.purpose ?? ""} wrapperClassName="min-w-56">
              <option value="">All purposes and vendors</option>
              <optgroup label="Purposes">
                {PURPOSES.map((p) => (
                  <option key={p} value={p}>
                    {PURPOSE_INFO[p].label}
                  </option>
                ))}
              </optgroup>
              {vendorKeys.length > 0 ? (
                <optgroup label="Vendors">
                  {vendorKeys.map((key) => (
                    <option key={key} value={key}>
                      {historyKeyLabel(key, names)}
                    </option>
                  ))}
                </optgroup>
              ) : null}
            </Select>
          </div>
          <div className="flex flex-col gap-1">
            <Label htmlFor="asOf">As of (UTC)</Label>
            <Input
              id="asOf"
              name="asOf"
              type="datetime-local"
              step={1}
              defaultValue={asOfValue}
              aria-describedby={HINT_ID}
              className="w-56"
            />
          </div>
          <Button type="submit" variant="secondary">
            <Filter aria-hidden="true" />
            Apply
          </Button>
          {params.purpose || params.asOf || params.before ? (
            <Button asChild variant="ghost">
              <Link href={historyHref(customerId, {})}>Clear</Link>
            </Button>
          ) : null}
          <p id={HINT_ID} className="w-full text-xs text-muted">
            &ldquo;As of&rdquo; shows the consent in effect at that moment, in UTC.
          </p>
        </Form>
        <div className="flex items-center gap-2" role="group" aria-label="Export the consent history">
          {/* Plain links: the files come from a route handler, not pages to navigate to. */}
          <Button asChild variant="secondary" size="sm">
            <a href={exportHref("csv")} download>
              <Download aria-hidden="true" />
              Export CSV
            </a>
          </Button>
          <Button asChild variant="secondary" size="sm">
            <a href={exportHref("json")} download>
              <Download aria-hidden="true" />
              Export JSON
            </a>
          </Button>
        </div>
      </div>
      {errors.length > 0 ? <ParamErrors errors={errors} /> : null}
      <Suspense key={`${params.purpose}|${params.asOf?.toISOString()}|${params.before}`} fallback={<HistorySkeleton />}>
        <ConsentHistoryBody customerId={customerId} params={params} vendors={vendors} names={names} />
      </Suspense>
    </Section>
  );
}

async function ConsentHistoryBody({
  customerId,
  params,
  vendors,
  names,
}: {
  customerId: string;
  params: HistoryPageParams;
  vendors: readonly string[];
  names: VendorNames;
}) {
  const [page, asOf, told] = await Promise.all([
    listConsentHistory(customerId, { purpose: params.purpose, before: params.before, limit: HISTORY_PAGE_SIZE, asOf: params.asOf }),
    params.asOf ? consentAsOf(customerId, params.asOf, { vendors }) : null,
    params.asOf ? toldAsOf(customerId, params.asOf) : null,
  ]);
  // The signals of the entries on this page: one query, by change id.
  const fates = await signalFatesForChanges(
    customerId,
    page.entries.map((e) => e.id),
  );
  const now = new Date();
  const keep = { historyPurpose: params.purpose, asOf: asOfInputValue(params.asOf) || undefined };

  let list;
  if (page.entries.length === 0 && !params.purpose && !params.before) {
    list = <EmptyState icon={History} titleAs="h3" title="No consent recorded yet — every purpose is allowed." />;
  } else if (page.entries.length === 0) {
    list = (
      <EmptyState
        icon={History}
        titleAs="h3"
        title={params.before ? "No older changes" : `No changes to ${historyKeyLabel(params.purpose!, names)}`}
        description={params.purpose ? "Other purposes and vendors may have changed: clear the filter to see every change." : undefined}
      />
    );
  } else {
    list = (
      <ol aria-label="Consent changes, newest first" className="ml-1.5 border-l border-border">
        {page.entries.map((entry) => (
          <HistoryEntry key={entry.id} entry={entry} now={now} filtered={params.purpose !== undefined}>
            <SignalFates fates={fates[entry.id] ?? []} version={entry.version} now={now} />
          </HistoryEntry>
        ))}
      </ol>
    );
  }

  return (
    <div className="flex flex-col gap-4">
      {asOf ? <AsOfCard asOf={asOf}>{told ? <ToldAsOfList told={told} asOf={asOf} /> : null}</AsOfCard> : null}
      {list}
      {page.next !== undefined || params.before ? (
        <nav aria-label="Consent history pages" className="flex items-center gap-2">
          {page.next !== undefined ? (
            <Button asChild variant="secondary" size="sm">
              <Link href={historyHref(customerId, { ...keep, historyBefore: String(page.next) })} rel="next">
                <ChevronDown aria-hidden="true" />
                Load older
              </Link>
            </Button>
          ) : null}
          {params.before ? (
            <Button asChild variant="ghost" size="sm">
              <Link href={historyHref(customerId, keep)}>Back to newest</Link>
            </Button>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}

function HistorySkeleton() {
  return (
    <div aria-busy="true" aria-live="polite" className="flex flex-col gap-4">
      <p className="sr-only">Loading the consent history…</p>
      {Array.from({ length: 3 }, (_, i) => (
        <div key={i} className="flex flex-col gap-2 border-l border-border pl-6">
          <Skeleton className="w-48" />
          <Skeleton className="w-72" />
          <Skeleton className="h-16 w-full max-w-2xl" />
        </div>
      ))}
    </div>
  );
}
