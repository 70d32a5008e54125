import Link from "next/link";
import { ScrollText, SearchX } from "lucide-react";
import { Button } from "@/components/ui/button";
import { KeysetPagination } from "@/components/ui/keyset-pagination";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, TD, TR } from "@/components/ui/table";
import type { AuditParams } from "@/lib/audit/params";
import { listAuditEntries } from "@/lib/audit/queries";
import { EntryAction, EntryActor, EntrySummary, EntryTarget, EntryTime } from "./audit-entry-cells";
import { AuditHead } from "./audit-skeleton";

export async function AuditResults({ params, filters }: { params: AuditParams; filters: Record<string, string> }) {
  const page = await listAuditEntries(params);
  const filtered = Object.keys(filters).length > 0;

  return (
    <section aria-labelledby="audit-results-heading" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="audit-results-heading" className="text-sm font-medium text-fg">
          {filtered ? "Matching entries, newest first" : "All entries, newest first"}
        </h2>
        <p className="text-xs text-muted" aria-live="polite">
          {page.entries.length === 0 ? "No entries on this page" : `Showing ${page.entries.length} on this page`}
        </p>
      </div>

      {page.entries.length === 0 ? (
        <EmptyState
          icon={filtered ? SearchX : ScrollText}
          title={filtered ? "No entries match" : "No entries yet"}
          description={
            filtered
              ? "Try a wider date range, another action, or fewer filters."
              : "Sign-ins, consent changes, deletions, retries and changes to users, keys and integrations appear here as they happen."
          }
          action={
            filtered ? (
              <Button asChild variant="secondary" size="sm">
                <Link href="/audit">Clear filters</Link>
              </Button>
            ) : undefined
          }
        />
      ) : (
        <Table label="Audit entries">
          <AuditHead />
          <TBody>
            {page.entries.map((e) => (
              <TR key={e.id} className="align-top">
                <TD className="align-top">
                  <EntryTime at={e.occurredAt} />
                  <div className="text-xs text-muted">#{e.id}</div>
                </TD>
                <TD className="align-top">
                  <EntryActor actor={e.actor} />
                </TD>
                <TD className="align-top">
                  <EntryAction action={e.action} />
                </TD>
                <TD className="align-top">
                  <EntryTarget target={e.target} />
                </TD>
                <TD className="max-w-sm min-w-64 align-top">
                  <EntrySummary summary={e.summary} />
                </TD>
                <TD className="align-top font-mono text-xs whitespace-nowrap">{e.ip ?? "—"}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}

      <KeysetPagination path="/audit" filters={filters} previous={page.previous} next={page.next} />
    </section>
  );
}
