import "server-only";
import { getDatabase } from "../db/index.ts";
import { auditCsvHeader, auditCsvRow } from "./csv.ts";
import type { AuditCursor, AuditParams } from "./params.ts";
import { buildAuditBeyondQuery, buildAuditListQuery, type AuditRow } from "./sql.ts";

export const EXPORT_MAX_ROWS = 100_000;
const BATCH_SIZE = 1_000;

export interface AuditCsvExport {
  stream: ReadableStream<Uint8Array>;
  /** The filtered view holds more than `maxRows` entries; only the newest were written. */
  truncated: boolean;
}

/**
 * The filtered view as CSV, newest first, read in keyset batches as the
 * client consumes the stream (pull), so memory stays at one batch whatever
 * the size and a slow client slows the reads instead of piling them up.
 * Page cursors in `params` are ignored: an export is the whole view.
 * It is not one snapshot (that would hold a connection for the whole
 * download): entries appended meanwhile sort above its first row and are
 * left out, save one committed in the same moments the first batch was read.
 */
export async function exportAuditCsv(
  params: AuditParams,
  { maxRows = EXPORT_MAX_ROWS, batchSize = BATCH_SIZE }: { maxRows?: number; batchSize?: number } = {},
): Promise<AuditCsvExport> {
  const { driver } = await getDatabase();
  const beyond = buildAuditBeyondQuery(params, maxRows);
  const [{ beyond: truncated } = { beyond: false }] = await driver.query<{ beyond: boolean }>(beyond.text, beyond.values);

  const encoder = new TextEncoder();
  let after: AuditCursor | undefined;
  let written = 0;

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(auditCsvHeader()));
    },
    async pull(controller) {
      const limit = Math.min(batchSize, maxRows - written);
      const { text, values } = buildAuditListQuery(params, { after }, limit);
      const rows = limit > 0 ? await driver.query<AuditRow>(text, values) : [];
      const last = rows.at(-1);
      if (last) {
        controller.enqueue(encoder.encode(rows.map(auditCsvRow).join("")));
        written += rows.length;
        after = { t: last.occurred_at.toISOString(), id: last.id };
      }
      if (rows.length < limit || written >= maxRows) controller.close();
    },
  });
  return { stream, truncated };
}
