/**
 * Every action the audit log knows. A closed list, so the filter can offer
 * each one and a typo in a caller fails the type check instead of inventing
 * an action nobody filters on.
 */
export const AUDIT_ACTIONS = [
  "sign_in.success",
  "sign_in.failure",
  "sign_in.locked",
  "sign_out",
  "user.create",
  "user.role_change",
  "user.deactivate",
  "user.reactivate",
  "api_key.create",
  "api_key.revoke",
  "consent.change",
  "customer.delete",
  "deletion.request",
  "deletion.extend",
  "deletion_batch.upload",
  "deletion_batch.approve",
  "deletion_batch.reject",
  "delivery.retry",
  "integration.create",
  "integration.update",
  "integration.disable",
  "integration.pause",
  "integration.resume",
  "integration.rotate_secret",
  "integration.test",
  "access.denied",
  "user.password_change",
  "user.sessions_end",
  "session.end",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_ACTION_LABEL: Record<AuditAction, string> = {
  "sign_in.success": "Signed in",
  "sign_in.failure": "Sign-in failed",
  "sign_in.locked": "Sign-in locked",
  sign_out: "Signed out",
  "user.create": "User created",
  "user.role_change": "User role changed",
  "user.deactivate": "User deactivated",
  "user.reactivate": "User reactivated",
  "api_key.create": "API key created",
  "api_key.revoke": "API key revoked",
  "consent.change": "Consent changed",
  "customer.delete": "Customer erased",
  "deletion.request": "Deletion requested",
  "deletion.extend": "Deletion deadline extended",
  "deletion_batch.upload": "Bulk deletion uploaded",
  "deletion_batch.approve": "Bulk deletion approved",
  "deletion_batch.reject": "Bulk deletion rejected",
  "delivery.retry": "Delivery retried",
  "integration.create": "Integration created",
  "integration.update": "Integration updated",
  "integration.disable": "Integration disabled",
  "integration.pause": "Integration paused",
  "integration.resume": "Integration resumed",
  "integration.rotate_secret": "Signing secret rotated",
  "integration.test": "Test signal sent",
  "access.denied": "Access refused",
  "user.password_change": "Password changed",
  "user.sessions_end": "User's sessions ended",
  "session.end": "Session ended",
};

export function isAuditAction(value: string): value is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(value);
}

/** Who an entry says acted; "system" is work no person or key started (retries, schedules). */
export const ACTOR_TYPES = ["user", "api_key", "system"] as const;
export type AuditActorType = (typeof ACTOR_TYPES)[number];
