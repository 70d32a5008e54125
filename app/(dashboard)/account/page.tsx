import type { Metadata } from "next";
import { ChangePasswordForm } from "@/components/account/change-password-form";
import { SessionsTable } from "@/components/account/sessions-table";
import { PageHeader } from "@/components/layout/page-header";
import { SettingsSection } from "@/components/settings/settings-section";
import { requirePageAccess } from "@/lib/auth/session";
import { currentSessionId, listOwnSessions } from "@/lib/users/account";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const actor = await requirePageAccess("account:self");
  const sessions = await listOwnSessions(actor, await currentSessionId());
  return (
    <>
      <PageHeader title="Your account" description={actor.label} breadcrumbs={[{ label: "Your account" }]} />
      <SettingsSection
        id="password"
        title="Password"
        description="Changing it signs you out everywhere else; this session stays signed in."
      >
        <ChangePasswordForm />
      </SettingsSection>
      <SettingsSection
        id="sessions"
        title="Sessions"
        description="Where you are signed in. End a session you do not recognise, then change your password."
      >
        <SessionsTable
          sessions={sessions.map((s) => ({
            id: s.id,
            current: s.current,
            createdAt: s.createdAt.toISOString(),
            lastActiveAt: s.lastActiveAt.toISOString(),
            ipAddress: s.ipAddress,
            userAgent: s.userAgent,
          }))}
        />
      </SettingsSection>
    </>
  );
}
