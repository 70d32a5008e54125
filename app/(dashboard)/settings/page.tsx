import type { Metadata } from "next";
import { PageHeader } from "@/components/layout/page-header";
import { NotAvailable } from "@/components/not-available";

export const metadata: Metadata = { title: "Settings" };

export default function SettingsPage() {
  return (
    <>
      <PageHeader title="Settings" description="Users, roles, API keys and integrations." />
      <NotAvailable summary="This page will let you manage users and their roles, issue and revoke API keys, and configure integrations." />
    </>
  );
}
