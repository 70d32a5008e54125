import "server-only";
import { getPrisma } from "../db/index.ts";

export async function listAudiences(): Promise<Array<{ id: string; name: string }>> {
  const prisma = await getPrisma();
  return prisma.audience.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } });
}
