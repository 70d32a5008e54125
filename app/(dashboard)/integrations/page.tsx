import type { Metadata } from "next";
import { PageHeader } from "@/components/layout/page-header";
import { requirePageAccess } from "@/lib/auth/session";
import { NotAvailable } from "@/components/not-available";

export const metadata: Metadata = { title: "Integrations" };

export default async function IntegrationsPage() {
  await requirePageAccess("integrations:read");
  return (
    <>
      <PageHeader title="Integrations" description="Connected tools, their notification status and delivery log." />
      <NotAvailable summary="This page will list the tools connected to Consent Desk, whether each one is receiving consent notifications, and a log of every delivery." />
    </>
  );
}
