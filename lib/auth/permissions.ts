/**
 * Who may do what (../shared/PRODUCT.md, "Who uses it"). Every server action,
 * route handler and page loader checks one of these on the server.
 */
export const ROLES = ["admin", "privacy_officer", "marketer", "auditor"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABEL: Record<Role, string> = {
  admin: "Admin",
  privacy_officer: "Privacy officer",
  marketer: "Marketer",
  auditor: "Auditor",
};

export const PERMISSIONS = [
  // One's own account: change one's password, see and end one's own sessions.
  "account:self",
  "customers:read",
  "consent:write",
  // Loyalty events from a store or app (POST /api/events), usually an API key.
  "events:write",
  "customers:delete",
  "deliveries:retry",
  "deletions:read",
  "integrations:read",
  "audit:read",
  "users:manage",
  "api_keys:manage",
  "integrations:manage",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  privacy_officer: [
    "account:self",
    "customers:read",
    "consent:write",
    "events:write",
    "customers:delete",
    "deliveries:retry",
    "deletions:read",
    "integrations:read",
  ],
  marketer: ["account:self", "customers:read", "consent:write", "events:write"],
  // Reads everything, changes nothing.
  auditor: ["account:self", "customers:read", "deletions:read", "integrations:read", "audit:read"],
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}
