import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/layout/page-header";
import { ConsentHistory } from "@/components/customers/consent-history";
import { ConsentPanel } from "@/components/customers/consent-panel";
import { DeleteCustomerDialog } from "@/components/customers/delete-customer-dialog";
import { ErasedProfile } from "@/components/customers/erased-profile";
import { IdentityCard } from "@/components/customers/identity-card";
import { AudiencesSection, EventsSection, JourneysSection, SignalsSection } from "@/components/customers/profile-activity";
import { getCustomerProfile } from "@/lib/customers/profile";
import { can } from "@/lib/auth/permissions";
import { requirePageAccess } from "@/lib/auth/session";
import { panelConsentFromProfile } from "@/lib/consent/panel";
import { getDeletionPreview } from "@/lib/deletions/preview";
import { parseHistoryPageParams } from "@/lib/validations/consent-history";

type Params = Promise<{ id: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

// Internal ids only: a customer's name never goes into a title, history or log.
export const metadata: Metadata = { title: "Customer profile" };

export default async function CustomerPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const actor = await requirePageAccess("customers:read");
  const { id } = await params;
  const canDelete = can(actor.role, "customers:delete");
  // The delete dialog's preview only for those who may delete; null once erased.
  const [profile, deletion] = await Promise.all([getCustomerProfile(id), canDelete ? getDeletionPreview(id) : null]);
  if (!profile) notFound();
  if (profile.erasure) {
    return (
      <>
        <PageHeader title="Erased customer" breadcrumbs={[{ label: "Customers", href: "/customers" }, { label: "Erased customer" }]} />
        <ErasedProfile customerId={profile.id} {...profile.erasure} canReadRequest={can(actor.role, "deletions:read")} />
      </>
    );
  }
  const history = parseHistoryPageParams(await searchParams);

  const title = profile.name ?? "Unnamed customer";
  return (
    <>
      <PageHeader
        title={title}
        description={profile.email ?? undefined}
        breadcrumbs={[{ label: "Customers", href: "/customers" }, { label: title }]}
        actions={deletion ? <DeleteCustomerDialog preview={deletion} /> : undefined}
      />
      <div className="grid grid-cols-[minmax(0,1fr)] gap-8 xl:grid-cols-[minmax(0,22rem)_minmax(0,1fr)]">
        <IdentityCard profile={profile} />
        <ConsentPanel
          initial={panelConsentFromProfile(profile)}
          integrations={profile.integrations}
          memberships={profile.audiences}
          journeys={profile.journeys}
          profileEmail={profile.email}
          profilePushToken={profile.pushToken}
          canEdit={can(actor.role, "consent:write")}
        />
      </div>
      <ConsentHistory customerId={profile.id} params={history.params} errors={history.errors} integrations={profile.integrations} />
      <AudiencesSection profile={profile} />
      <SignalsSection signals={profile.signals} />
      <JourneysSection journeys={profile.journeys} />
      <EventsSection events={profile.events} />
    </>
  );
}
