import type { Metadata } from "next";
import { PageHeader } from "@/components/layout/page-header";
import { requirePageAccess } from "@/lib/auth/session";
import { NotAvailable } from "@/components/not-available";

export const metadata: Metadata = { title: "Deletions" };

export default async function DeletionsPage() {
  await requirePageAccess("deletions:read");
  return (
    <>
      <PageHeader
        title="Deletions"
        description="Process customer deletion requests and watch every connected integration receive the delete signal."
      />
      <NotAvailable summary="This page will list customer deletion requests, let you process them, and show each connected integration confirming it received the delete signal." />
    </>
  );
}
