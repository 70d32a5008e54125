// Where the delivery worker runs (README "Configuration", DELIVERY_WORKER):
// `inline` inside the app process, `off` not in it (`npm run worker` runs it
// beside the app). Unset: inline on the embedded PGlite default (one process
// is all PGlite allows, so the app must deliver), not inline on PostgreSQL
// (production runs `npm run worker`). Pure.

export type DeliveryWorkerMode = "inline" | "off";

export function deliveryWorkerMode(env: Record<string, string | undefined> = process.env): DeliveryWorkerMode {
  const value = env.DELIVERY_WORKER?.trim().toLowerCase();
  if (value === "inline" || value === "off") return value;
  if (value) throw new Error(`DELIVERY_WORKER must be "inline" or "off" (or unset), not ${JSON.stringify(env.DELIVERY_WORKER)}`);
  return env.DATABASE_URL?.trim() ? "off" : "inline";
}
