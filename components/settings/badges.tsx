import { Ban, CircleCheck } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { ROLE_LABEL, type Role } from "@/lib/auth/permissions";

export function RoleBadge({ role }: { role: Role }) {
  return <Badge tone={role === "admin" ? "accent" : "neutral"}>{ROLE_LABEL[role]}</Badge>;
}

/** Active or not, in a word and an icon: colour only reinforces it. */
export function StatusBadge({ active, inactiveLabel }: { active: boolean; inactiveLabel: "Deactivated" | "Revoked" }) {
  return active ? (
    <Badge tone="success" icon={CircleCheck}>
      Active
    </Badge>
  ) : (
    <Badge tone={inactiveLabel === "Revoked" ? "danger" : "neutral"} icon={Ban}>
      {inactiveLabel}
    </Badge>
  );
}
