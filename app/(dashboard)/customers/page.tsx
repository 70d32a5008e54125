import { Suspense } from "react";
import type { Metadata } from "next";
import { TriangleAlert } from "lucide-react";
import { PageHeader } from "@/components/layout/page-header";
import { DirectoryFilters, directoryParamLabel } from "@/components/customers/directory-filters";
import { DirectoryResults } from "@/components/customers/directory-results";
import { DirectorySkeleton } from "@/components/customers/directory-skeleton";
import { listAudiences } from "@/lib/audiences/queries";
import { listIntegrationVendors } from "@/lib/integrations/queries";
import { parseDirectoryParams } from "@/lib/validations/directory";
import { requirePageAccess } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Customers" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function CustomersPage({ searchParams }: { searchParams: SearchParams }) {
  await requirePageAccess("customers:read");
  const raw = await searchParams;
  const parsed = parseDirectoryParams(raw);
  const [audiences, vendors] = await Promise.all([listAudiences(), listIntegrationVendors()]);
  const flat = Object.fromEntries(
    Object.entries(raw).flatMap(([k, v]) => {
      const value = Array.isArray(v) ? v[0] : v;
      return value && !(!parsed.ok && parsed.errors.some((e) => e.field === k)) ? [[k, value]] : [];
    }),
  );

  return (
    <>
      <PageHeader
        title="Customers"
        description="Look up customers, their consent and where their data is used."
        breadcrumbs={[{ label: "Customers" }]}
      />
      <DirectoryFilters params={parsed.params} audiences={audiences} vendors={vendors} />
      {!parsed.ok ? (
        <div role="alert" className="flex gap-2 rounded-md border border-warning/40 bg-warning-subtle px-3 py-2 text-sm text-warning">
          <TriangleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
          <div>
            <p className="font-medium">Some of the search could not be used and was left out:</p>
            <ul className="list-disc pl-5">
              {parsed.errors.map((e) => (
                <li key={e.field}>
                  <span className="font-medium">{directoryParamLabel(e.field)}</span> {e.message}
                </li>
              ))}
            </ul>
          </div>
        </div>
      ) : null}
      {/* Keyed on the query so every new search shows the skeleton while it loads. */}
      <Suspense key={JSON.stringify(flat)} fallback={<DirectorySkeleton />}>
        <DirectoryResults params={parsed.params} raw={flat} integrations={vendors} />
      </Suspense>
    </>
  );
}
