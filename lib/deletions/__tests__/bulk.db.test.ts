import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../auth/actor.ts";
import { scanFor } from "../../testing/pii-scan.ts";
import { rowCounts } from "../../testing/surface.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { deletionBatchResultCsv, getDeletionBatch, listDeletionBatchRows } from "../batches.ts";
import { approveDeletionBatch, BulkUploadError, rejectDeletionBatch, ROW_MESSAGES, uploadDeletionBatch } from "../bulk.ts";
import { CSV_MESSAGES, MAX_CSV_BYTES } from "../csv.ts";
import { requestDeletion } from "../erase.ts";
import { DeletionStateError } from "../errors.ts";
import { createDeletionProcessor } from "../processor.ts";
import { insertRichCustomer, officer, TC_STRING } from "./fixtures.ts";

let db: TestDatabase;
const second: Actor = { ...officer, id: "00000000-0000-4000-8000-0000000000e2", label: "second@example.com" };
/** An uploader of one's own: each test's uploads count alone against the rolling 24-hour threshold (bulk-approval.ts). */
const newOfficer = (): Actor => ({ ...officer, id: randomUUID(), label: "uploader@example.com" });

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
});
afterAll(async () => {
  await db.dispose();
});

const processAll = () => createDeletionProcessor({ database: db, log: () => {} }).runOnce();

/** `n` plain customers with a tag of their own; their external ids and emails. */
async function insertCustomers(n: number): Promise<Array<{ id: string; externalId: string; email: string }>> {
  const tag = randomUUID().slice(0, 8);
  return db.driver.query<{ id: string; externalId: string; email: string }>(
    `INSERT INTO customers (external_id, email) SELECT 'bulk-' || $1 || '-' || g, 'bulk.' || $1 || '.' || g || '@example.com'
     FROM generate_series(1, $2::int) g RETURNING id, external_id AS "externalId", email`,
    [tag, n],
  );
}

const requestsOf = (batchId: string) =>
  db.driver.query<{ id: string; status: string; source: string; customer_id: string | null; received_at: Date; due_at: Date }>(
    `SELECT id, status, source, customer_id, received_at, due_at FROM deletion_requests WHERE batch_id = $1 ORDER BY received_at`,
    [batchId],
  );

describe("uploadDeletionBatch", () => {
  it("resolves each row at once, keeps no value, and the processor erases the rest", async () => {
    const [a, b] = [await insertRichCustomer(db), await insertRichCustomer(db)];
    const gone = await insertRichCustomer(db);
    const earlier = await requestDeletion({ customer: { id: gone.id }, source: "dashboard", actor: officer });
    const unknown = `nobody-${randomUUID()}@example.com`;
    const csv = [
      "external_id",
      a.externalId,
      b.externalId,
      a.externalId, // the same customer again
      gone.externalId, // erased before: the tombstone knows it
      "no-such-customer-" + randomUUID(),
      "a,b",
      "",
    ].join("\r\n");
    const emails = `email\n${b.email}\n${gone.email}\n${unknown}\nnot-an-email\n`;

    const before = Date.now();
    const batch = await uploadDeletionBatch({ csv, fileName: "C:\\Users\\me\\list.csv", actor: newOfficer() });
    const byEmail = await uploadDeletionBatch({ csv: emails, fileName: "emails.csv", regime: "ccpa", actor: newOfficer() });
    expect(batch).toMatchObject({ status: "queued", totalRows: 6, toErase: 2 });
    expect(batch.counts).toEqual({ erased: 0, already_erased: 1, not_found: 1, invalid: 1 });
    expect(byEmail).toMatchObject({ status: "queued", totalRows: 4, toErase: 1, counts: { already_erased: 1, not_found: 1, invalid: 1 } });

    const requests = await requestsOf(batch.id);
    expect(requests.map((r) => [r.status, r.source, r.customer_id]).sort()).toEqual(
      [
        ["received", "bulk", a.id],
        ["received", "bulk", b.id],
      ].sort(),
    );
    const received = requests[0]!.received_at.getTime();
    expect(received).toBeGreaterThanOrEqual(before - 1000);
    expect(requests[0]!.due_at.getTime()).toBeGreaterThan(received + 27 * 86_400_000);
    // b was already asked for by the first file: the email batch follows that request.
    expect(await requestsOf(byEmail.id)).toEqual([]);

    const { rows } = await listDeletionBatchRows(batch.id, 1);
    expect(rows.map((r) => [r.row, r.outcome, r.message])).toEqual([
      [2, null, null],
      [3, null, null],
      [4, null, ROW_MESSAGES.duplicate(2)],
      [5, "already_erased", ROW_MESSAGES.alreadyErased],
      [6, "not_found", ROW_MESSAGES.notFound],
      [7, "invalid", CSV_MESSAGES.manyValues],
    ]);
    expect(rows[3]!.requestId).toBe(earlier.request.id);
    expect((await listDeletionBatchRows(byEmail.id, 1)).rows.map((r) => [r.row, r.outcome])).toEqual([
      [2, null],
      [3, "already_erased"],
      [4, "not_found"],
      [5, "invalid"],
    ]);
    const [stored] = await db.driver.query<{ file_name: string }>(`SELECT file_name FROM deletion_batches WHERE id = $1`, [batch.id]);
    expect(stored!.file_name).toBe("list.csv");
    // The values of the rows that found nobody, and of the invalid ones, are stored nowhere.
    expect(await scanFor(db.driver, [unknown, "not-an-email", csv.split("\r\n")[5]!])).toEqual([]);

    expect(await processAll()).toBe(2);
    const done = await getDeletionBatch(batch.id);
    expect(done).toMatchObject({
      status: "done",
      processedRows: 6,
      counts: { erased: 2, already_erased: 2, not_found: 1, invalid: 1, pending: 0 },
    });
    expect(await getDeletionBatch(byEmail.id)).toMatchObject({
      status: "done",
      processedRows: 4,
      counts: { already_erased: 2, pending: 0 },
    });
    expect((await requestsOf(batch.id)).map((r) => r.status)).toEqual(["completed", "completed"]);
    // Nothing identifying is left of the customers erased, nor kept by the batches.
    const needles = [...a.needles, ...b.needles, ...gone.needles].filter((n) => n !== TC_STRING);
    expect(await scanFor(db.driver, needles)).toEqual([]);

    const audit = await db.driver.query<{ action: string; n: string | number }>(
      `SELECT action, count(*) AS n FROM audit_entries WHERE action IN ('deletion_batch.upload', 'customer.delete', 'deletion.request')
         AND (target_id = ANY($1::text[]) OR target_id IN (SELECT id::text FROM deletion_requests WHERE batch_id = $2))
       GROUP BY action ORDER BY action`,
      [[batch.id, byEmail.id, a.id, b.id], batch.id],
    );
    expect(audit.map((r) => [r.action, Number(r.n)])).toEqual([
      ["customer.delete", 2],
      ["deletion.request", 2],
      ["deletion_batch.upload", 2],
    ]);
    const result = await deletionBatchResultCsv(batch.id);
    expect(result!.split("\r\n")[0]).toBe("row,outcome,request_id,message");
    expect(result).toContain(`5,already_erased,${earlier.request.id},`);
    expect(result).toContain(`4,already_erased,${rows[0]!.requestId},The same customer as row 2.`);
  });

  it("holds a batch of more than 100 for a second officer: the uploader cannot approve; approved, it is erased", async () => {
    const customers = await insertCustomers(101);
    const me = newOfficer();
    const batch = await uploadDeletionBatch({ csv: customers.map((c) => c.externalId).join("\n"), fileName: "big.csv", actor: me });
    expect(batch).toMatchObject({ status: "awaiting_approval", toErase: 101 });
    expect(await processAll()).toBe(0);
    await expect(approveDeletionBatch(batch.id, me)).rejects.toThrow(DeletionStateError);
    await expect(approveDeletionBatch(batch.id, me)).rejects.toThrow(/You uploaded this batch/);
    await expect(rejectDeletionBatch(batch.id, me)).rejects.toThrow(/You uploaded this batch/);
    expect((await requestsOf(batch.id)).every((r) => r.status === "received")).toBe(true);

    expect(await approveDeletionBatch(batch.id, second)).toEqual({ id: batch.id, status: "queued" });
    await expect(approveDeletionBatch(batch.id, second)).rejects.toThrow(/not waiting for approval/);
    expect(await getDeletionBatch(batch.id)).toMatchObject({ decidedBy: { id: second.id, label: second.label } });
    await processAll();
    expect(await getDeletionBatch(batch.id)).toMatchObject({ status: "done", processedRows: 101, counts: { erased: 101 } });
    const [left] = await db.driver.query<{ n: string | number }>(
      `SELECT count(*) AS n FROM customers WHERE id = ANY($1::uuid[]) AND erased_at IS NULL`,
      [customers.map((c) => c.id)],
    );
    expect(Number(left!.n)).toBe(0);
  });

  it("rejected, a batch erases nothing and its received requests are removed", async () => {
    const customers = await insertCustomers(102);
    const batch = await uploadDeletionBatch({ csv: customers.map((c) => c.email).join("\n"), fileName: "big.csv", actor: newOfficer() });
    expect(await requestsOf(batch.id)).toHaveLength(102);
    expect(await rejectDeletionBatch(batch.id, second)).toMatchObject({ status: "rejected", removed: 102 });
    expect(await requestsOf(batch.id)).toEqual([]);
    await processAll();
    expect(await getDeletionBatch(batch.id)).toMatchObject({ status: "rejected", counts: { erased: 0, pending: 102 } });
    const [kept] = await db.driver.query<{ n: string | number }>(
      `SELECT count(*) AS n FROM customers WHERE id = ANY($1::uuid[]) AND erased_at IS NULL AND email IS NOT NULL`,
      [customers.map((c) => c.id)],
    );
    expect(Number(kept!.n)).toBe(102);
    // Its result says so for every row, rather than "pending" forever.
    const result = (await deletionBatchResultCsv(batch.id))!.trim().split("\r\n").slice(1);
    expect(result).toHaveLength(102);
    expect(result.every((line) => line.split(",")[1] === "rejected")).toBe(true);
    const [audit] = await db.driver.query<{ n: string | number }>(
      `SELECT count(*) AS n FROM audit_entries WHERE action = 'deletion_batch.reject' AND target_id = $1`,
      [batch.id],
    );
    expect(Number(audit!.n)).toBe(1);
  });

  it("a processor stopped mid-batch without a word leaves its lease to run out; another finishes, nothing done twice", async () => {
    const customers = await insertCustomers(60);
    const batch = await uploadDeletionBatch({
      csv: customers.map((c) => c.externalId).join("\n"),
      fileName: "crash.csv",
      actor: newOfficer(),
    });
    let erased = 0;
    // The lease outlasts a chunk of ten erasures on a busy machine, and runs out soon after the crash.
    const crashing = createDeletionProcessor({
      database: db,
      leaseMs: 1_200,
      chunk: 10,
      concurrency: 1,
      log: () => {},
      onErased: () => {
        if (++erased === 15) throw new Error("killed");
      },
    });
    await crashing.runOnce();
    const mid = await getDeletionBatch(batch.id);
    expect(mid).toMatchObject({ status: "processing" });
    expect(mid!.counts.erased).toBe(15);
    expect(mid!.processedRows).toBeGreaterThanOrEqual(10);
    expect(mid!.processedRows).toBeLessThan(60);

    const seen: string[] = [];
    const other = createDeletionProcessor({ database: db, log: () => {}, onErased: (id) => seen.push(id) });
    // Until the lease runs out, the batch is still the first processor's.
    expect(await other.runOnce()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    expect(await other.runOnce()).toBe(1);
    expect(seen).toHaveLength(45);
    expect(await getDeletionBatch(batch.id)).toMatchObject({
      status: "done",
      processedRows: 60,
      counts: { erased: 60, already_erased: 0 },
    });
    const [audit] = await db.driver.query<{ n: string | number; customers: string | number }>(
      `SELECT count(*) AS n, count(DISTINCT target_id) AS customers FROM audit_entries WHERE action = 'customer.delete' AND target_id = ANY($1::text[])`,
      [customers.map((c) => c.id)],
    );
    expect([Number(audit!.n), Number(audit!.customers)]).toEqual([60, 60]);
  });

  it("stopped gracefully, a processor finishes the erasures in flight and hands the batch back at once", async () => {
    const customers = await insertCustomers(40);
    const batch = await uploadDeletionBatch({
      csv: customers.map((c) => c.externalId).join("\n"),
      fileName: "stop.csv",
      actor: newOfficer(),
    });
    let erased = 0;
    let reached: () => void = () => {};
    const halfway = new Promise<void>((resolve) => (reached = resolve));
    const processor = createDeletionProcessor({
      database: db,
      chunk: 5,
      log: () => {},
      onErased: () => {
        if (++erased === 10) reached();
      },
    });
    processor.start();
    await halfway;
    await processor.stop();
    const [stopped] = await db.driver.query<{ status: string; leased_by: string | null }>(
      `SELECT status, leased_by FROM deletion_batches WHERE id = $1`,
      [batch.id],
    );
    expect(stopped).toEqual({ status: "processing", leased_by: null });
    const mid = await getDeletionBatch(batch.id);
    expect(mid!.counts.erased).toBe(erased);
    expect(erased).toBeLessThan(40);
    // No lease to wait for: another processor resumes at once and does only what is left.
    let rest = 0;
    expect(await createDeletionProcessor({ database: db, log: () => {}, onErased: () => rest++ }).runOnce()).toBe(1);
    expect(rest).toBe(40 - erased);
    expect(await getDeletionBatch(batch.id)).toMatchObject({ status: "done", processedRows: 40, counts: { erased: 40 } });
  });

  it("refuses a malformed file and one too large as a whole, writing and erasing nothing", async () => {
    const [c] = await insertCustomers(1);
    const before = await rowCounts(db);
    const refused = async (csv: string | Uint8Array) => {
      const error = await uploadDeletionBatch({ csv, fileName: "bad.csv", actor: newOfficer() }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BulkUploadError);
      return error as BulkUploadError;
    };
    expect(await refused(`${c!.externalId}\n\u0000\n`)).toMatchObject({ status: 422, field: "file" });
    expect(await refused(new Uint8Array([0xff, 0xfe, 0x41]))).toMatchObject({ status: 422 });
    expect(await refused("email\n")).toMatchObject({ status: 422, message: expect.stringMatching(/no external ids/) });
    expect(await refused(`${c!.externalId}\n`.padEnd(MAX_CSV_BYTES + 1, " "))).toMatchObject({ status: 413 });
    expect(await rowCounts(db)).toEqual(before);
  });
});
