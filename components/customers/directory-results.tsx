import Link from "next/link";
import { SearchX } from "lucide-react";
import { Button } from "@/components/ui/button";
import { KeysetPagination, pageHref } from "@/components/ui/keyset-pagination";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, TD, TR } from "@/components/ui/table";
import type { IntegrationVendor } from "@/lib/customers/consent-summary";
import { listCustomers } from "@/lib/customers/directory";
import { formatDate } from "@/lib/format";
import type { DirectoryParams } from "@/lib/validations/directory";
import { ConsentSummary } from "./consent-badges";
import { DirectoryHead } from "./directory-skeleton";

const FIELD_LABEL = { email: "email", name: "name", phone: "phone", external_id: "external id" } as const;

export async function DirectoryResults({
  params,
  raw,
  integrations,
}: {
  params: DirectoryParams;
  raw: Record<string, string>;
  /** Names the vendors in each consent summary (lib/customers/consent-summary.ts says which count). */
  integrations: readonly IntegrationVendor[];
}) {
  const page = await listCustomers(params);
  const filtered = Boolean(params.q || params.consent || params.purpose || params.vendor || params.audience);

  return (
    <section aria-labelledby="results-heading" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="results-heading" className="text-sm font-medium text-fg">
          {page.search ? (
            <>
              Customers whose {FIELD_LABEL[page.search.field]} {params.match === "exact" ? "is" : "starts with"} “{page.search.term}”
            </>
          ) : filtered ? (
            "Matching customers"
          ) : (
            "All customers"
          )}
        </h2>
        <p className="text-xs text-muted" aria-live="polite">
          {page.customers.length === 0 ? "No customers on this page" : `Showing ${page.customers.length} on this page`}
        </p>
      </div>

      {page.customers.length === 0 ? (
        <EmptyState
          icon={SearchX}
          title={filtered ? "No customers match" : "No customers yet"}
          description={
            filtered
              ? "Try a shorter search, another field, or fewer filters."
              : "Customers appear here when they are imported or created through the API. Run `npm run db:seed` for demo data."
          }
          action={
            filtered ? (
              <>
                {page.search
                  ? (Object.keys(FIELD_LABEL) as Array<keyof typeof FIELD_LABEL>)
                      .filter((f) => f !== page.search!.field)
                      .map((f) => (
                        <Button key={f} asChild variant="ghost" size="sm">
                          <Link href={pageHref("/customers", { ...raw, field: f }, {})}>Search {FIELD_LABEL[f]} instead</Link>
                        </Button>
                      ))
                  : null}
                <Button asChild variant="secondary" size="sm">
                  <Link href="/customers">Clear search and filters</Link>
                </Button>
              </>
            ) : undefined
          }
        />
      ) : (
        <Table label="Customers">
          <DirectoryHead />
          <TBody>
            {page.customers.map((c) => (
              <TR key={c.id}>
                <TD>
                  <Link
                    href={`/customers/${c.id}`}
                    className="font-medium text-fg underline-offset-2 hover:underline focus-visible:underline"
                  >
                    {c.name ?? "Unnamed customer"}
                  </Link>
                  <div className="text-xs text-muted">{c.email ?? "no email"}</div>
                </TD>
                <TD className="font-mono text-xs">{c.externalId ?? "—"}</TD>
                <TD className="font-mono text-xs whitespace-nowrap">{c.phone ?? "—"}</TD>
                <TD>
                  <ConsentSummary consent={c.consent} integrations={integrations} />
                </TD>
                <TD numeric className="whitespace-nowrap">
                  {formatDate(c.createdAt)}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}

      <KeysetPagination path="/customers" filters={raw} previous={page.previous} next={page.next} />
    </section>
  );
}
