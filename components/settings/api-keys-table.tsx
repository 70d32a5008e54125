import { KeyRound } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatDate, formatDateTime } from "@/lib/format";
import type { ApiKeyListItem } from "@/lib/users/queries";
import { RoleBadge, StatusBadge } from "./badges";
import { RevokeApiKeyDialog } from "./revoke-api-key-dialog";

export function ApiKeysTable({ keys }: { keys: ApiKeyListItem[] }) {
  if (keys.length === 0) {
    return (
      <EmptyState
        icon={KeyRound}
        titleAs="h3"
        title="No API keys yet"
        description="Create a key for each client that calls the consent API or exports evidence."
      />
    );
  }
  return (
    <Table label="API keys">
      <THead>
        <tr>
          <TH>Name</TH>
          <TH>Role</TH>
          <TH>Key</TH>
          <TH>Created by</TH>
          <TH>Created</TH>
          <TH>Last used</TH>
          <TH>Status</TH>
          <TH>
            <span className="sr-only">Actions</span>
          </TH>
        </tr>
      </THead>
      <TBody>
        {keys.map((key) => (
          <TR key={key.id}>
            <TD className="font-medium">{key.name}</TD>
            <TD>
              <RoleBadge role={key.role} />
            </TD>
            <TD className="font-mono text-xs whitespace-nowrap">
              {key.prefix}…<span className="sr-only"> (the rest is never shown)</span>
            </TD>
            {/* Users are deactivated, never deleted: a key without a creator was made from the command line. */}
            <TD className="text-muted">{key.createdBy?.email ?? "Command line"}</TD>
            <TD className="whitespace-nowrap">
              <time dateTime={key.createdAt.toISOString()}>{formatDate(key.createdAt)}</time>
            </TD>
            <TD className="whitespace-nowrap">
              {key.lastUsedAt ? <time dateTime={key.lastUsedAt.toISOString()}>{formatDateTime(key.lastUsedAt)}</time> : "Never"}
            </TD>
            <TD>
              <StatusBadge active={!key.revokedAt} inactiveLabel="Revoked" />
            </TD>
            <TD>
              <div className="flex justify-end">
                {key.revokedAt ? null : <RevokeApiKeyDialog apiKey={{ id: key.id, name: key.name, prefix: key.prefix }} />}
              </div>
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
