import "server-only";
import type { Actor } from "../auth/actor.ts";
import { auditEntriesParam, auditInsertSql } from "../audit/append.ts";
import { getDatabase, type Database } from "../db/index.ts";
import { DeletionRequestIdSchema } from "../validations/deletion-requests.ts";
import { deletionDefaults } from "./config.ts";
import { dueAt, MAX_EXTENSION, type Regime } from "./deadlines.ts";
import { DeletionRequestNotFoundError, DeletionStateError } from "./errors.ts";
import { identifierColumnsOf, scrubOnWrite, subjectOf, type IdentifierColumns } from "./scrub-texts.ts";
import type { DeletionStatus } from "./status.ts";

// A deletion request's deadline extension (issue 11, item 4): GDPR Art. 12(3)
// allows two further months, CCPA §1798.130(a)(2) 45 more days, each only with
// a reason. The extension is the total beyond the first deadline, counted from
// receipt (deadlines.ts), so a second extension must be larger than the first
// and never passes the regime's limit. A completed request has nothing left to
// extend. The change and its audit entry are one statement.

/** A completed request: every integration acknowledged it, so it has no deadline left to extend (the API answers 409). */
export class DeletionCompletedError extends DeletionStateError {
  constructor() {
    super("This request is completed: every integration acknowledged it, so there is no deadline left to extend.", "extension");
    this.name = "DeletionCompletedError";
  }
}

export interface ExtendDeletionResult {
  id: string;
  regime: Regime;
  extension: number;
  unit: "months" | "days";
  previousExtension: number;
  dueAt: Date;
  previousDueAt: Date;
}

type LockedRow = {
  id: string;
  regime: Regime;
  status: DeletionStatus;
  received_at: Date | string;
  due_at: Date | string;
  extension: number;
  // With the customer's identifiers, to take out of the reason; null once erased (the tombstone then recognises them).
} & IdentifierColumns;

const unitWord = (unit: "months" | "days", n: number) => `${n} ${n === 1 ? unit.slice(0, -1) : unit}`;

/** What the request's deadline would be with `extension` (a total), for the form's preview and the extension itself. */
export function extendedDueAt(
  request: { regime: Regime; receivedAt: Date },
  extension: number,
  timeZone = deletionDefaults().timeZone,
): Date {
  return dueAt({ regime: request.regime, receivedAt: request.receivedAt, extension, timeZone });
}

export async function extendDeletion(
  actor: Actor,
  requestId: string,
  input: { extension: number; reason: string },
  database?: Database,
): Promise<ExtendDeletionResult> {
  if (!DeletionRequestIdSchema.safeParse(requestId).success) throw new DeletionRequestNotFoundError();
  const reason = input.reason.trim();
  if (reason.length === 0) throw new DeletionStateError("Say why the request needs more time.", "reason");
  const db = database ?? (await getDatabase());
  const { timeZone } = deletionDefaults();
  return db.driver.transaction(async (tx) => {
    const [row] = await tx.query<LockedRow>(
      `SELECT r.id::text AS id, r.regime::text AS regime, r.status::text AS status, r.received_at, r.due_at, r.extension,
         ${identifierColumnsOf("c")}
       FROM deletion_requests r LEFT JOIN customers c ON c.id = r.customer_id WHERE r.id = $1::uuid FOR UPDATE OF r`,
      [requestId],
    );
    if (!row) throw new DeletionRequestNotFoundError();
    if (row.status === "completed") throw new DeletionCompletedError();
    const limit = MAX_EXTENSION[row.regime];
    const extension = input.extension;
    if (!Number.isInteger(extension) || extension < 1 || extension > limit.max)
      throw new DeletionStateError(
        `${row.regime === "gdpr" ? "GDPR" : "CCPA"} allows at most ${unitWord(limit.unit, limit.max)} in all: choose 1 to ${limit.max}.`,
        "extension",
      );
    if (extension <= row.extension)
      throw new DeletionStateError(
        `The request is already extended by ${unitWord(limit.unit, row.extension)}: an extension must make the total larger.`,
        "extension",
      );
    // Free text about a deletion keeps no identifier (lib/deletions/free-text.ts).
    const kept = await scrubOnWrite(tx, reason, { subjects: [subjectOf(row)], erasedRequestIds: [row.id] });
    const receivedAt = new Date(row.received_at);
    const due = dueAt({ regime: row.regime, receivedAt, extension, timeZone });
    const previousDueAt = new Date(row.due_at);
    const audit = auditEntriesParam([
      {
        actor,
        action: "deletion.extend",
        target: { type: "deletion_request", id: row.id },
        // The reason stays on the request: free text may name the person, and audit summaries hold ids and figures only.
        summary: {
          regime: row.regime,
          unit: limit.unit,
          extension,
          previous_extension: row.extension,
          due_at: due.toISOString(),
          previous_due_at: previousDueAt.toISOString(),
        },
      },
    ]);
    await tx.query(
      `WITH req AS (
         UPDATE deletion_requests SET extension = $2, extension_reason = $3, extended_at = now(), due_at = $4 WHERE id = $1::uuid RETURNING id
       ), audit AS (${auditInsertSql({ param: 5, when: "EXISTS (SELECT 1 FROM req)" })} RETURNING id)
       SELECT (SELECT count(*) FROM audit)::int AS audited`,
      [row.id, extension, kept, due, audit],
    );
    return { id: row.id, regime: row.regime, extension, unit: limit.unit, previousExtension: row.extension, dueAt: due, previousDueAt };
  });
}
