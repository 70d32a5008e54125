// The retention policy's column names as a person reads them, for the delete
// dialog, the request page and the receipt. Its own module, free of the
// policy itself, so a client component importing it carries no table or column
// list (e2e/bundle.spec.ts looks for those in client bundles).

/** Column names as a person reads them; the rest reads well with spaces. */
const FIELD_LABEL: Record<string, string> = {
  external_id: "External id",
  name_search: "Name (search copy)",
  push_token: "Push token",
  attributes: "Free-text attributes",
  consent_string: "TC string",
  tcf: "Decoded TC string",
  event_id: "Client's event id",
  payload: "Signal payload",
  actor_id: "Who changed it (id)",
  actor_label: "Who changed it (name)",
  actor_type: "Who changed it (kind)",
  external_id_hash: "External id hash",
  identifier_hash: "Identifier hash",
  receiver_ref: "Receiver's reference",
  last_error: "Last delivery error",
  leased_by: "Worker",
  email_hash: "Email hash",
  phone_hash: "Phone hash",
  identifier_kind: "Kind of identifier",
  requested_by_type: "Who asked (kind)",
  requested_by_id: "Who asked (id)",
  requested_by_label: "Who asked (name)",
  extension_reason: "Reason for an extension",
  summary: "What the erasure did (counts)",
  message: "Why a line was refused",
};

export function fieldLabel(column: string): string {
  const label = FIELD_LABEL[column] ?? column.replaceAll("_", " ");
  return label.charAt(0).toUpperCase() + label.slice(1);
}
