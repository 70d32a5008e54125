// Makes a deletion request in the e2e server's database, the way the product
// does (lib/deletions/erase.ts), for e2e/deletions.spec.ts:
//   npx tsx --conditions=react-server e2e/deletion-fixture.ts '{"regime":"gdpr","receivedDaysAgo":40,"failOne":true}'
// A new customer each time; the request may be dated back (its due date
// recomputed from the earlier receipt), and one of its delete signals to a
// connected integration may be marked failed (no lease: the inline worker
// cannot overwrite it). Prints {"id", "customerId"}.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";

const secrets = JSON.parse(readFileSync(".data/e2e/secrets.json", "utf8")) as { DATABASE_URL: string | null };
if (!secrets.DATABASE_URL) throw new Error("the deletion fixture needs the e2e server on PostgreSQL (DATABASE_URL)");
process.env.DATABASE_URL = secrets.DATABASE_URL;

const input = JSON.parse(process.argv[2] ?? "{}") as { regime?: "gdpr" | "ccpa"; receivedDaysAgo?: number; failOne?: boolean };
const { createDatabase } = await import("../lib/db/client.ts");
const { resolveDatabaseConfig } = await import("../lib/db/config.ts");
const { requestDeletion } = await import("../lib/deletions/erase.ts");
const { dueAt } = await import("../lib/deletions/deadlines.ts");
const { deletionDefaults } = await import("../lib/deletions/config.ts");
const { demoUser } = await import("../lib/seed/reference.ts");

const db = createDatabase(resolveDatabaseConfig(), { poolSize: 1 });
try {
  const id = randomUUID();
  const tag = id.slice(0, 8);
  await db.driver.query(`INSERT INTO customers (id, external_id, name, name_search, email) VALUES ($1, $2, $3, lower($3), $4)`, [
    id,
    `e2e-del-${tag}`,
    `Erin Deletion ${tag}`,
    `erin.${tag}@example.test`,
  ]);
  const officer = demoUser("privacy_officer");
  const { request } = await requestDeletion(
    {
      customer: { id },
      source: "api",
      regime: input.regime ?? "gdpr",
      actor: { kind: "user", id: officer.id, label: officer.email, role: "privacy_officer", ip: null, userAgent: "e2e fixture" },
    },
    db,
  );
  if (input.receivedDaysAgo) {
    const receivedAt = new Date(request.receivedAt.getTime() - input.receivedDaysAgo * 86_400_000);
    const due = dueAt({ regime: request.regime, receivedAt, timeZone: deletionDefaults().timeZone });
    await db.driver.query(`UPDATE deletion_requests SET received_at = $2, due_at = $3 WHERE id = $1`, [request.id, receivedAt, due]);
  }
  if (input.failOne) {
    await db.driver.query(
      `UPDATE integration_signals SET status = 'failed', attempts = greatest(attempts, 10), failed_at = now(), lease_until = NULL, leased_by = NULL,
         last_status_code = 503, last_error = 'The endpoint answered 503.'
       WHERE id = (SELECT s.id FROM integration_signals s JOIN integrations i ON i.id = s.integration_id
                   WHERE s.deletion_request_id = $1 AND i.enabled ORDER BY i.name LIMIT 1)`,
      [request.id],
    );
  }
  process.stdout.write(JSON.stringify({ id: request.id, customerId: id }));
} finally {
  await db.prisma.$disconnect();
  await db.driver.close();
}
