import "server-only";
import type { SqlDriver } from "../db/driver.ts";

// The totals reporting needs, which an erasure must leave as they were:
// campaign points and rewards per day, events per type per day, and audience
// sizes over time (members who left by erasure count until they left, from
// audience_past_memberships). Days are UTC calendar days.

type Tx = Pick<SqlDriver, "query">;

export interface DayTotals {
  day: string;
  points: number;
  tierProgress: number;
  rewards: number;
}

export async function pointsAndRewardsPerDay(db: Tx): Promise<DayTotals[]> {
  const rows = await db.query<{ day: string; points: string; tier: string; rewards: string }>(
    `SELECT to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, sum(points_awarded)::text AS points,
       sum(tier_progress)::text AS tier, sum(jsonb_array_length(rewards))::text AS rewards
     FROM loyalty_events GROUP BY 1 ORDER BY 1`,
  );
  return rows.map((r) => ({ day: r.day, points: Number(r.points), tierProgress: Number(r.tier), rewards: Number(r.rewards) }));
}

export async function eventsPerTypePerDay(db: Tx): Promise<Array<{ day: string; type: string; events: number }>> {
  const rows = await db.query<{ day: string; type: string; events: string }>(
    `SELECT to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, type, count(*)::text AS events
     FROM loyalty_events GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  return rows.map((r) => ({ day: r.day, type: r.type, events: Number(r.events) }));
}

/** Each audience's size at the end of each day from `from` to `to` (UTC, inclusive). */
export async function audienceSizesPerDay(
  db: Tx,
  from: string,
  to: string,
): Promise<Array<{ audienceId: string; day: string; members: number }>> {
  const rows = await db.query<{ audience_id: string; day: string; members: string }>(
    `WITH days AS (SELECT d::date AS day, (d + interval '1 day') AT TIME ZONE 'UTC' AS day_end
                   FROM generate_series($1::date::timestamp, $2::date::timestamp, interval '1 day') d)
     SELECT a.id AS audience_id, to_char(days.day, 'YYYY-MM-DD') AS day,
       ((SELECT count(*) FROM audience_memberships m WHERE m.audience_id = a.id AND m.joined_at < days.day_end)
        + (SELECT count(*) FROM audience_past_memberships p WHERE p.audience_id = a.id AND p.joined_at < days.day_end AND p.left_at >= days.day_end))::text AS members
     FROM audiences a CROSS JOIN days ORDER BY a.id, days.day`,
    [from, to],
  );
  return rows.map((r) => ({ audienceId: r.audience_id, day: r.day, members: Number(r.members) }));
}
