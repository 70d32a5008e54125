import type { ComponentProps } from "react";
import { Select } from "@/components/ui/select";
import { ROLE_LABEL, ROLES } from "@/lib/auth/permissions";

/**
 * The four roles, with an empty first choice unless a default is given, so a
 * role (and so a set of permissions) is always picked on purpose.
 */
export function RoleSelect({ defaultValue, ...props }: Omit<ComponentProps<typeof Select>, "children">) {
  return (
    <Select name="role" defaultValue={defaultValue ?? ""} required {...props}>
      {defaultValue ? null : (
        <option value="" disabled>
          Choose a role…
        </option>
      )}
      {ROLES.map((role) => (
        <option key={role} value={role}>
          {ROLE_LABEL[role]}
        </option>
      ))}
    </Select>
  );
}
