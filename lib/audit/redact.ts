/** What a summary may hold: plain JSON, so the stored jsonb and its hash are exactly what was passed. */
export type AuditJson = string | number | boolean | null | AuditJson[] | { [key: string]: AuditJson | undefined };
export type AuditSummary = { [key: string]: AuditJson | undefined };

// Compared after lower-casing and dropping "_" and "-", so apiKey, api_key and
// API-KEY are one name. Secrets never belong in the log, whatever the target.
const SECRET_NAMES = new Set(["key", "apikey", "keyhash", "password", "passwordhash", "secret", "token", "tokenhash", "hash"]);
const SECRET_SUFFIXES = ["password", "secret", "token", "tokens", "keyhash"];

// A customer appears by internal id only (../../shared/PRODUCT.md, Deletion):
// anything identifying would survive their deletion in an append-only table.
const PERSONAL_NAMES = new Set([
  "email",
  "emails",
  "name",
  "firstname",
  "lastname",
  "fullname",
  "phone",
  "phonenumber",
  "pushtoken",
  "pushtokens",
  "externalid",
  "customerid",
  "address",
  "birthdate",
  "attributes",
]);
// Free text (a reason, a note) can still carry an address; drop such a value too.
const EMAIL_LIKE = /[^\s@]+@[^\s@]+\.[^\s@]+/;

const normalise = (key: string) => key.toLowerCase().replace(/[_-]/g, "");

/**
 * Text as the log can keep it: PostgreSQL text and jsonb refuse NUL, and an
 * outsider-supplied value (a typed email, a user agent) must not make an
 * append fail or grow the permanent log without bound.
 */
export function cleanText(value: string, max: number): string {
  const text = value.replace(/\u0000/g, "\uFFFD");
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const MAX_SUMMARY_TEXT = 2_000;

function isSecret(key: string): boolean {
  const k = normalise(key);
  return SECRET_NAMES.has(k) || SECRET_SUFFIXES.some((s) => k.endsWith(s));
}

function clean(value: AuditJson | undefined, customer: boolean, depth: number): AuditJson | undefined {
  if (value === undefined) return undefined;
  if (depth > 8) return "[too deep]";
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string") return customer && EMAIL_LIKE.test(value) ? undefined : cleanText(value, MAX_SUMMARY_TEXT);
  if (value === null || typeof value === "boolean") return value;
  if (Array.isArray(value)) {
    return value.map((v) => clean(v, customer, depth + 1)).filter((v): v is AuditJson => v !== undefined);
  }
  const out: { [key: string]: AuditJson } = {};
  for (const [key, v] of Object.entries(value)) {
    if (isSecret(key) || (customer && PERSONAL_NAMES.has(normalise(key)))) continue;
    const kept = clean(v, customer, depth + 1);
    if (kept !== undefined) out[cleanText(key, 200)] = kept;
  }
  return out;
}

/**
 * The summary as it may be stored: secrets dropped everywhere, and a
 * customer's personal data dropped when the entry is about a customer. Keys
 * are dropped rather than masked so nothing about the value (not even its
 * length) is kept. The log is append-only, so this runs before the insert.
 */
export function redactSummary(summary: AuditSummary | undefined, targetType: string | undefined): { [key: string]: AuditJson } {
  if (!summary) return {};
  const cleaned = clean(summary, targetType === "customer", 0);
  // clean() never keeps an undefined value, whatever the input type allowed.
  return cleaned && typeof cleaned === "object" && !Array.isArray(cleaned) ? (cleaned as { [key: string]: AuditJson }) : {};
}
