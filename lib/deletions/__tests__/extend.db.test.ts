import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { ExtendDeletionBodySchema, ExtendDeletionFormSchema } from "../../validations/deletion-requests.ts";
import { dueAt } from "../deadlines.ts";
import { DeletionRequestNotFoundError, DeletionStateError } from "../errors.ts";
import { DeletionCompletedError, extendDeletion } from "../extend.ts";
import { officer } from "./fixtures.ts";
import { insertRequest } from "./request-fixtures.ts";

let db: TestDatabase;
const zone = process.env.BUSINESS_TIME_ZONE;

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
});
afterEach(() => {
  if (zone === undefined) delete process.env.BUSINESS_TIME_ZONE;
  else process.env.BUSINESS_TIME_ZONE = zone;
});
afterAll(async () => {
  await db.dispose();
});

type Row = { extension: number; extension_reason: string | null; extended_at: Date | null; due_at: Date };
const row = async (id: string) =>
  (await db.driver.query<Row>(`SELECT extension, extension_reason, extended_at, due_at FROM deletion_requests WHERE id = $1`, [id]))[0]!;
const audits = async (id: string) =>
  db.driver.query<{ action: string; summary: Record<string, unknown>; actor_label: string }>(
    `SELECT action, summary, actor_label FROM audit_entries WHERE target_type = 'deletion_request' AND target_id = $1 ORDER BY id`,
    [id],
  );

/** Runs `fn`, expecting a DeletionStateError on `field`; the request and the audit log unchanged. */
async function expectRefused(id: string, fn: () => Promise<unknown>, field: string, Error: typeof DeletionStateError = DeletionStateError) {
  const before = { row: await row(id), audits: (await audits(id)).length };
  const error = await fn().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(Error);
  expect((error as DeletionStateError).field).toBe(field);
  expect(await row(id)).toEqual(before.row);
  expect((await audits(id)).length).toBe(before.audits);
}

describe("extendDeletion", () => {
  const received = new Date("2031-01-31T10:00:00Z");

  it("GDPR: up to two further months, counted from receipt, each larger than the last, with an audit entry", async () => {
    const id = await insertRequest(db, { receivedAt: received, regime: "gdpr", status: "notifying" });
    expect((await row(id)).due_at).toEqual(new Date("2031-02-28T23:59:59.999Z"));
    await expectRefused(id, () => extendDeletion(officer, id, { extension: 3, reason: "Complex" }), "extension");

    const first = await extendDeletion(officer, id, { extension: 1, reason: "  Two accounts to reconcile  " });
    expect(first).toMatchObject({ extension: 1, unit: "months", previousExtension: 0 });
    expect(first.dueAt).toEqual(new Date("2031-03-31T23:59:59.999Z"));
    expect(await row(id)).toMatchObject({ extension: 1, extension_reason: "Two accounts to reconcile", due_at: first.dueAt });
    expect((await row(id)).extended_at).toBeInstanceOf(Date);

    // Not larger than the current total: refused; the limit is the total, not each step.
    await expectRefused(id, () => extendDeletion(officer, id, { extension: 1, reason: "Again" }), "extension");
    const second = await extendDeletion(officer, id, { extension: 2, reason: "Waiting for a processor" });
    // 31 January + 3 months: 30 April (from receipt), not 28 April (from the last due date).
    expect(second.dueAt).toEqual(new Date("2031-04-30T23:59:59.999Z"));
    await expectRefused(id, () => extendDeletion(officer, id, { extension: 3, reason: "More" }), "extension");

    const entries = await audits(id);
    expect(entries.map((e) => e.action)).toEqual(["deletion.extend", "deletion.extend"]);
    expect(entries[1]).toMatchObject({
      actor_label: officer.label,
      summary: {
        regime: "gdpr",
        unit: "months",
        extension: 2,
        previous_extension: 1,
        due_at: "2031-04-30T23:59:59.999Z",
        previous_due_at: "2031-03-31T23:59:59.999Z",
      },
    });
    // The reason stays on the request, not in the audit summary.
    expect(JSON.stringify(entries)).not.toContain("processor");
  });

  it("CCPA: up to 45 more days", async () => {
    const id = await insertRequest(db, { receivedAt: received, regime: "ccpa", status: "failed" });
    await expectRefused(id, () => extendDeletion(officer, id, { extension: 46, reason: "Complex" }), "extension");
    const extended = await extendDeletion(officer, id, { extension: 45, reason: "Complex" });
    expect(extended).toMatchObject({ unit: "days", extension: 45 });
    expect(extended.dueAt).toEqual(dueAt({ regime: "ccpa", receivedAt: received, extension: 45 }));
    expect(extended.dueAt).toEqual(new Date("2031-05-01T23:59:59.999Z"));
  });

  it("ends the new deadline in the business's time zone", async () => {
    process.env.BUSINESS_TIME_ZONE = "Europe/Berlin";
    // 23:30 UTC on 31 January is already 1 February in Berlin.
    const late = new Date("2031-01-31T23:30:00Z");
    const id = await insertRequest(db, { receivedAt: late, regime: "gdpr" });
    const extended = await extendDeletion(officer, id, { extension: 1, reason: "Complex" });
    expect(extended.dueAt).toEqual(dueAt({ regime: "gdpr", receivedAt: late, extension: 1, timeZone: "Europe/Berlin" }));
    expect(extended.dueAt).toEqual(new Date("2031-04-01T21:59:59.999Z"));
  });

  it("needs a reason", async () => {
    const id = await insertRequest(db, { receivedAt: received });
    await expectRefused(id, () => extendDeletion(officer, id, { extension: 1, reason: "   " }), "reason");
    const schema = ExtendDeletionBodySchema.safeParse({ extension: 1, reason: " " });
    expect(schema.success).toBe(false);
    expect(schema.error!.issues[0]!.path).toEqual(["reason"]);
    expect(ExtendDeletionBodySchema.safeParse({ extension: 1 }).error!.issues[0]!.path).toEqual(["reason"]);
    expect(ExtendDeletionFormSchema.safeParse({ requestId: id, extension: "1", reason: "ok" }).data).toMatchObject({ extension: 1 });
  });

  it("refuses a completed request, and an unknown or malformed id", async () => {
    const id = await insertRequest(db, { receivedAt: received, status: "completed" });
    await expectRefused(id, () => extendDeletion(officer, id, { extension: 1, reason: "Late" }), "extension", DeletionCompletedError);
    for (const unknown of ["00000000-0000-4000-8000-00000000dead", "garbage"]) {
      await expect(extendDeletion(officer, unknown, { extension: 1, reason: "Late" })).rejects.toBeInstanceOf(DeletionRequestNotFoundError);
    }
  });
});
