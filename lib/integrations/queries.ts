import "server-only";
import { getPrisma } from "../db/index.ts";
import type { IntegrationVendor } from "../customers/consent-summary.ts";

/** Every integration's vendor (the keys consent.vendors can hold) with the integration's name, by name. */
export async function listIntegrationVendors(): Promise<IntegrationVendor[]> {
  const prisma = await getPrisma();
  return prisma.integration.findMany({ select: { vendor: true, name: true }, orderBy: [{ name: "asc" }, { vendor: "asc" }] });
}
