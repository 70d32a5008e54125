import "server-only";
import { getDatabase, getPrisma } from "../db/index.ts";

export async function listAudiences(): Promise<Array<{ id: string; name: string }>> {
  const prisma = await getPrisma();
  return prisma.audience.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } });
}

export interface AudienceWithMembers {
  id: string;
  name: string;
  members: number;
}

/**
 * Every audience with its member count, by name: one pass over the
 * memberships (about half a second at three million), so only pages that
 * show the counts call it.
 */
export async function listAudiencesWithMemberCounts(): Promise<AudienceWithMembers[]> {
  const { driver } = await getDatabase();
  const rows = await driver.query<{ id: string; name: string; members: string }>(
    `SELECT a.id, a.name, coalesce(n.members, 0) AS members
     FROM audiences a
     LEFT JOIN (SELECT audience_id, count(*) AS members FROM audience_memberships GROUP BY audience_id) n ON n.audience_id = a.id
     ORDER BY a.name`,
  );
  return rows.map((r) => ({ id: r.id, name: r.name, members: Number(r.members) }));
}
