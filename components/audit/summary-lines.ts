import type { AuditJson } from "@/lib/audit/redact";

const MAX_VALUE = 60;

function show(value: AuditJson | undefined): string {
  if (value === undefined) return "—";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

const isObject = (v: AuditJson | undefined): v is { [key: string]: AuditJson | undefined } =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * A summary as short lines for a table cell. A before/after pair collapses
 * to what changed ("email_marketing: true → false"), the usual shape of a
 * change entry; anything else is "key: value", long values cut short.
 */
export function summaryLines(summary: { [key: string]: AuditJson | undefined }): string[] {
  const lines: string[] = [];
  const { before, after, ...rest } = summary;
  if (isObject(before) || isObject(after)) {
    const from = isObject(before) ? before : {};
    const to = isObject(after) ? after : {};
    for (const key of new Set([...Object.keys(from), ...Object.keys(to)])) {
      if (JSON.stringify(from[key]) !== JSON.stringify(to[key])) lines.push(`${key}: ${show(from[key])} → ${show(to[key])}`);
    }
    if (lines.length === 0) lines.push("no change");
  } else {
    if (before !== undefined) rest.before = before;
    if (after !== undefined) rest.after = after;
  }
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) lines.push(`${key}: ${show(value)}`);
  return lines;
}
