import type { SignalKind } from "../generated/prisma/enums.ts";

// What an integration receives: the Standard Webhooks body
// `{"type", "timestamp", "data"}`. The body is the same bytes on every retry
// (webhook-timestamp, in the headers, is when each attempt is sent). Pure.

export const WEBHOOK_TYPE: Record<SignalKind, string> = {
  consent_change: "customer.consent_changed",
  delete: "customer.deleted",
  test: "integration.test",
};

/** The body of a signal: its type, when what it tells of happened (the signal's creation), and its payload as `data`. */
export function webhookBody(signal: { kind: SignalKind; createdAt: Date; payload: unknown }): string {
  return JSON.stringify({ type: WEBHOOK_TYPE[signal.kind], timestamp: signal.createdAt.toISOString(), data: signal.payload });
}

const REFERENCE_KEYS = ["reference", "ref", "id", "request_id", "delivery_id", "receipt_id"] as const;
const MAX_REFERENCE_LENGTH = 200;

/**
 * The receiver's reference for a delivery, when its answer names one: a JSON
 * object whose `reference`, `ref`, `id`, `request_id`, `delivery_id` or
 * `receipt_id` is a short string or number (the first present wins, nested
 * one level under `data` too). Anything else: null.
 */
export function receiverReference(body: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  for (const candidate of [parsed, (parsed as { data?: unknown } | null)?.data]) {
    if (typeof candidate !== "object" || candidate === null || Array.isArray(candidate)) continue;
    for (const key of REFERENCE_KEYS) {
      const value = (candidate as Record<string, unknown>)[key];
      const text = typeof value === "number" && Number.isFinite(value) ? String(value) : typeof value === "string" ? value.trim() : "";
      // Text PostgreSQL can store: no NUL, no lone surrogate, bounded.
      if (text && text.length <= MAX_REFERENCE_LENGTH && text.isWellFormed() && !text.includes("\0")) return text;
    }
  }
  return null;
}
