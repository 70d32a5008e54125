import "server-only";
import type { Actor } from "../auth/actor.ts";
import { getDatabase, type Database } from "../db/index.ts";
import { confirmationMatches, DeletionConfirmationError } from "./confirmation.ts";
import type { Regime } from "./deadlines.ts";
import { requestDeletion, type RequestDeletionResult } from "./erase.ts";
import { CustomerNotFoundError } from "./errors.ts";

// A deletion from the profile's dialog: the server checks again what the
// person typed against the customer as stored (never what the page showed),
// and only then asks requestDeletion to erase.

export interface DashboardDeletionInput {
  customerId: string;
  confirmation: string;
  regime?: Regime;
  reason?: string;
  actor: Actor;
}

type Row = { id: string; email: string | null; external_id: string | null; erased_at: Date | string | null };

/**
 * Erases the customer when `confirmation` names them (confirmation.ts);
 * otherwise throws DeletionConfirmationError and nothing is written. A
 * customer already erased answers their request (created: false): there is
 * nothing left to confirm against, and nothing more is erased.
 */
export async function deleteFromDashboard(input: DashboardDeletionInput, database?: Database): Promise<RequestDeletionResult> {
  const db = database ?? (await getDatabase());
  const [row] = await db.driver.query<Row>(`SELECT id, email, external_id, erased_at FROM customers WHERE id = $1`, [input.customerId]);
  if (!row) throw new CustomerNotFoundError();
  const target = { id: row.id, email: row.email, externalId: row.external_id };
  if (row.erased_at === null && !confirmationMatches(target, input.confirmation)) throw new DeletionConfirmationError();
  return requestDeletion(
    { customer: { id: row.id }, source: "dashboard", regime: input.regime, reason: input.reason ?? null, actor: input.actor },
    db,
  );
}
