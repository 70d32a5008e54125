import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/layout/page-header";
import { ConsentOverview } from "@/components/customers/consent-overview";
import { IdentityCard } from "@/components/customers/identity-card";
import { AudiencesSection, EventsSection, JourneysSection } from "@/components/customers/profile-activity";
import { getCustomerProfile } from "@/lib/customers/profile";
import { requirePageAccess } from "@/lib/auth/session";

type Params = Promise<{ id: string }>;

// Internal ids only: a customer's name never goes into a title, history or log.
export const metadata: Metadata = { title: "Customer profile" };

export default async function CustomerPage({ params }: { params: Params }) {
  await requirePageAccess("customers:read");
  const { id } = await params;
  const profile = await getCustomerProfile(id);
  if (!profile) notFound();

  const title = profile.name ?? "Unnamed customer";
  return (
    <>
      <PageHeader
        title={title}
        description={profile.email ?? undefined}
        breadcrumbs={[{ label: "Customers", href: "/customers" }, { label: title }]}
      />
      <div className="grid gap-8 xl:grid-cols-[minmax(0,22rem)_minmax(0,1fr)]">
        <IdentityCard profile={profile} />
        <ConsentOverview profile={profile} />
      </div>
      <AudiencesSection profile={profile} />
      <JourneysSection journeys={profile.journeys} />
      <EventsSection events={profile.events} />
    </>
  );
}
