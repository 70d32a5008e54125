import { randomUUID } from "node:crypto";
import type { TestDatabase } from "../../testing/test-database.ts";
import { dueAt, type Regime } from "../deadlines.ts";
import type { DeletionStatus } from "../status.ts";

// Deletion requests inserted directly, at known times, for the read side's
// tests (the erasure is erase.ts's to test). Each test makes its own.

export interface RequestInput {
  receivedAt: Date;
  regime?: Regime;
  source?: "dashboard" | "api" | "bulk";
  status?: DeletionStatus;
  extension?: number;
  id?: string;
  label?: string;
}

export async function insertRequest(db: TestDatabase, input: RequestInput): Promise<string> {
  const id = input.id ?? randomUUID();
  const regime = input.regime ?? "gdpr";
  const status = input.status ?? "received";
  const erased = status !== "received";
  await db.driver.query(
    `INSERT INTO deletion_requests (id, source, regime, status, requested_by_type, requested_by_label, received_at, due_at, extension,
       erased_at, completed_at)
     VALUES ($1, $2::deletion_source, $3::deletion_regime, $4::deletion_status, 'user', $5, $6, $7, $8,
       CASE WHEN $9::boolean THEN $6::timestamptz END, CASE WHEN $4::deletion_status = 'completed' THEN $6::timestamptz END)`,
    [
      id,
      input.source ?? "dashboard",
      regime,
      status,
      input.label ?? "officer@example.com",
      input.receivedAt,
      dueAt({ regime, receivedAt: input.receivedAt, extension: input.extension ?? 0 }),
      input.extension ?? 0,
      erased,
    ],
  );
  return id;
}
