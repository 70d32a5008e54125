-- The delivery worker claims each integration's oldest due signals on their
-- own, round-robin, so one hanging endpoint holds no more than its share of a
-- worker's slots (issue 16, item 4; lib/delivery/claim-sql.ts). Each
-- integration's claim walks this index from its oldest due entry. It replaces
-- integration_signals_due_idx (next_attempt_at, id), which the claim walked
-- across every integration at once, paused ones included: 200,000 older
-- signals of a paused integration made each claim take ~100 ms instead of ~2 ms
-- (npm run bench:delivery). The next-due lookup reads this one too.
CREATE INDEX "integration_signals_due_by_integration_idx" ON "integration_signals" ("integration_id", "next_attempt_at", "id")
  WHERE "status" IN ('pending', 'retrying');
DROP INDEX "integration_signals_due_idx";
