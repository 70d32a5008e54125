import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { can, PERMISSIONS, ROLES, type Permission, type Role } from "@/lib/auth/permissions";
import { RoleBadge } from "./badges";

// Typed as complete records, so a new role or permission fails the type
// check until it is explained here too.
const ROLE_PURPOSE: Record<Role, string> = {
  admin: "Manages users, roles, integrations and API keys.",
  privacy_officer: "Processes deletion requests, watches that every integration got the delete signal, retries failures.",
  marketer: "Looks up customers, changes consent per purpose and vendor, previews audience sends.",
  auditor: "Browses consent history, deletions and deliveries, and exports evidence. Changes nothing.",
};

const PERMISSION_LABEL: Record<Permission, string> = {
  "account:self": "Own password and sessions",
  "customers:read": "Read customers",
  "consent:write": "Change consent",
  "events:write": "Send loyalty events",
  "customers:delete": "Delete customers",
  "deliveries:retry": "Retry deliveries",
  "deletions:read": "View deletions",
  "integrations:read": "View integrations",
  "audit:read": "Read and export the audit log",
  "users:manage": "Manage users and roles",
  "api_keys:manage": "Manage API keys",
  "integrations:manage": "Manage integrations",
};

/** What each role may do, read from the same grants every server check uses. */
export function RolesTable() {
  return (
    <Table label="Roles and what they may do">
      <THead>
        <tr>
          <TH>Role</TH>
          <TH>For</TH>
          <TH>May</TH>
        </tr>
      </THead>
      <TBody>
        {ROLES.map((role) => (
          <TR key={role} className="align-top">
            {/* A plain row header (TH is the sticky column-header style); no rule under the last, as TBody does for cells. */}
            <th scope="row" className="border-b border-border px-3 py-2.5 text-left align-top font-normal [tr:last-child>&]:border-b-0">
              <RoleBadge role={role} />
            </th>
            <TD className="max-w-sm py-2.5 align-top text-muted">{ROLE_PURPOSE[role]}</TD>
            <TD className="py-2.5 align-top">
              <ul className="flex flex-wrap gap-x-3 gap-y-1">
                {PERMISSIONS.filter((p) => can(role, p)).map((p) => (
                  <li key={p} className="whitespace-nowrap">
                    {PERMISSION_LABEL[p]}
                  </li>
                ))}
              </ul>
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
