import "server-only";
import { getPrisma } from "../db/index.ts";

/** Vendor slugs, one per integration: the keys consent.vendors can hold. */
export async function listVendors(): Promise<string[]> {
  const prisma = await getPrisma();
  const rows = await prisma.integration.findMany({ select: { vendor: true }, orderBy: { vendor: "asc" } });
  return rows.map((r) => r.vendor);
}
