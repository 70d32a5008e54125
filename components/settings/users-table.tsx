import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { Badge } from "@/components/ui/badge";
import { formatDate } from "@/lib/format";
import type { UserListItem } from "@/lib/users/queries";
import { RoleBadge, StatusBadge } from "./badges";
import { ChangeRoleDialog } from "./change-role-dialog";
import { DeactivateUserDialog, EndUserSessionsDialog, ReactivateUserButton } from "./user-status-actions";

/** Everyone who can (or could) sign in. `currentUserId` is marked "You" and offers no Deactivate. */
export function UsersTable({ users, currentUserId }: { users: UserListItem[]; currentUserId: string }) {
  return (
    <Table label="Users">
      <THead>
        <tr>
          <TH>Name</TH>
          <TH>Email</TH>
          <TH>Role</TH>
          <TH>Status</TH>
          <TH>Created</TH>
          <TH>
            <span className="sr-only">Actions</span>
          </TH>
        </tr>
      </THead>
      <TBody>
        {users.map((user) => {
          const summary = { id: user.id, name: user.name, email: user.email, role: user.role };
          const self = user.id === currentUserId;
          return (
            <TR key={user.id}>
              <TD className="font-medium">
                <span className="inline-flex items-center gap-2">
                  {user.name}
                  {self ? <Badge tone="info">You</Badge> : null}
                </span>
              </TD>
              <TD className="text-muted">{user.email}</TD>
              <TD>
                <RoleBadge role={user.role} />
              </TD>
              <TD>
                <StatusBadge active={!user.deactivatedAt} inactiveLabel="Deactivated" />
              </TD>
              <TD className="whitespace-nowrap">
                <time dateTime={user.createdAt.toISOString()}>{formatDate(user.createdAt)}</time>
              </TD>
              <TD>
                <div className="flex justify-end gap-2">
                  <ChangeRoleDialog user={summary} self={self} />
                  {user.deactivatedAt || self ? null : <EndUserSessionsDialog user={summary} />}
                  {user.deactivatedAt ? <ReactivateUserButton user={summary} /> : self ? null : <DeactivateUserDialog user={summary} />}
                </div>
              </TD>
            </TR>
          );
        })}
      </TBody>
    </Table>
  );
}
