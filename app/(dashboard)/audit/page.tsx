import type { Metadata } from "next";
import { PageHeader } from "@/components/layout/page-header";
import { NotAvailable } from "@/components/not-available";

export const metadata: Metadata = { title: "Audit log" };

export default function AuditPage() {
  return (
    <>
      <PageHeader title="Audit log" description="Every change, who made it and when, in a tamper-evident log." />
      <NotAvailable summary="This page will show every change to consent records, who made it and when, in a tamper-evident log you can filter and export." />
    </>
  );
}
