import type { Metadata } from "next";
import { PageHeader } from "@/components/layout/page-header";
import { AddUserDialog } from "@/components/settings/add-user-dialog";
import { ApiKeysTable } from "@/components/settings/api-keys-table";
import { CreateApiKeyDialog } from "@/components/settings/create-api-key-dialog";
import { AddIntegrationDialog } from "@/components/settings/integration-form-dialogs";
import { IntegrationsTable } from "@/components/settings/integrations-table";
import { RolesTable } from "@/components/settings/roles-table";
import { SettingsSection } from "@/components/settings/settings-section";
import { UsersTable } from "@/components/settings/users-table";
import { can } from "@/lib/auth/permissions";
import { requirePageAccess } from "@/lib/auth/session";
import { listIntegrations } from "@/lib/integrations/manage";
import { listApiKeys, listUsers } from "@/lib/users/queries";

export const metadata: Metadata = { title: "Settings" };

const SECTIONS = [
  { id: "users", label: "Users" },
  { id: "api-keys", label: "API keys" },
  { id: "integrations", label: "Integrations" },
  { id: "roles", label: "Roles" },
] as const;

export default async function SettingsPage() {
  // Redirects to sign-in, or renders the forbidden page, before anything is read.
  const actor = await requirePageAccess("users:manage");
  const showKeys = can(actor.role, "api_keys:manage");
  const showIntegrations = can(actor.role, "integrations:manage");
  const [users, keys, integrations] = await Promise.all([
    listUsers(),
    showKeys ? listApiKeys() : Promise.resolve([]),
    showIntegrations ? listIntegrations() : Promise.resolve([]),
  ]);
  const sections = SECTIONS.filter((s) => (s.id !== "api-keys" || showKeys) && (s.id !== "integrations" || showIntegrations));

  return (
    <>
      <PageHeader
        title="Settings"
        description="Who can sign in, with what role, which API clients may call in, and which tools are told of consent changes."
        breadcrumbs={[{ label: "Settings" }]}
      />
      <nav aria-label="Settings sections">
        <ul className="flex flex-wrap gap-1">
          {sections.map((s) => (
            <li key={s.id}>
              <a
                href={`#${s.id}`}
                className="inline-flex h-8 items-center rounded-md px-2.5 text-sm text-muted hover:bg-surface-muted hover:text-fg"
              >
                {s.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <SettingsSection
        id="users"
        title="Users"
        description="People who sign in to Consent Desk. Deactivating someone signs them out at once; their history stays."
        action={<AddUserDialog />}
      >
        <UsersTable users={users} currentUserId={actor.id} />
      </SettingsSection>
      {showKeys ? (
        <SettingsSection
          id="api-keys"
          title="API keys"
          description="Keys for clients of the API. Each acts with one role; a key is shown once, when it is created, and stored only as a hash."
          action={<CreateApiKeyDialog />}
        >
          <ApiKeysTable keys={keys} />
        </SettingsSection>
      ) : null}
      {showIntegrations ? (
        <SettingsSection
          id="integrations"
          title="Integrations"
          description="Tools told of every consent change and deletion by a signed request to their endpoint. Its signing secret is shown once, when the integration is added or its secret rotated."
          action={<AddIntegrationDialog />}
        >
          <IntegrationsTable integrations={integrations} />
        </SettingsSection>
      ) : null}
      <SettingsSection
        id="roles"
        title="Roles"
        description="What each role may do. Every page, action and API route checks these on the server."
      >
        <RolesTable />
      </SettingsSection>
    </>
  );
}
