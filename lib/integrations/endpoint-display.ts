import { can, type Role } from "../auth/permissions.ts";

// How an integration's endpoint is shown (issue 16, item 7b). Receivers often
// take a token in the query string (https://hooks.example.com/x?token=…), so
// only those who manage integrations (admins, who edit the URL) see it whole;
// auditors and privacy officers, who may read the integrations pages and
// GET /api/integrations, see each query value as "…". Pure.

const MASK = "…";

/** `endpoint` with every query-string value masked, its names kept (`?token=…&region=…`); a bare `?abc` part is masked whole. */
export function maskedEndpoint(endpoint: string): string {
  const at = endpoint.indexOf("?");
  if (at === -1) return endpoint;
  const query = endpoint
    .slice(at + 1)
    .split("#")[0]!
    .split("&")
    .map((part) => {
      const equals = part.indexOf("=");
      return equals === -1 ? (part ? MASK : part) : `${part.slice(0, equals)}=${MASK}`;
    })
    .join("&");
  return `${endpoint.slice(0, at)}?${query}`;
}

/** Whether `role` sees endpoints whole. */
export function seesFullEndpoint(role: Role): boolean {
  return can(role, "integrations:manage");
}

/** The endpoint as `role` may read it. */
export function endpointShownTo(role: Role, endpoint: string): string {
  return seesFullEndpoint(role) ? endpoint : maskedEndpoint(endpoint);
}
