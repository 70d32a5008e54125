import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELETE as deleteCustomer } from "../../../app/api/customers/[id]/route.ts";
import { GET as showBatch } from "../../../app/api/deletion-batches/[id]/route.ts";
import { GET as showRequest } from "../../../app/api/deletion-requests/[id]/route.ts";
import type { Actor } from "../../auth/actor.ts";
import { createApiKey } from "../../auth/api-keys.ts";
import { createIntegration } from "../../delivery/__tests__/fixtures.ts";
import { scanFor } from "../../testing/pii-scan.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../../testing/test-database.ts";
import { uploadDeletionBatch } from "../bulk.ts";
import { requestDeletion } from "../erase.ts";
import { extendDeletion } from "../extend.ts";
import { createDeletionProcessor } from "../processor.ts";
import { rescrubDeletionTexts, scrubRequestTexts } from "../scrub-texts.ts";
import { insertRichCustomer, officer, type RichCustomer } from "./fixtures.ts";

// Free text typed around a deletion keeps no identifier (lib/deletions/free-text.ts):
// a bulk file's reason and name naming two of its customers, an extension's
// reason with one's phone in national form and first name, and a REST deletion
// of a third customer whose reason names the first two. Once both are erased,
// a scan of every text column of every table finds neither of them anywhere,
// and the auditor's API reads the texts with [erased] in their place.

let db: TestDatabase;
let auditorKey = "";
let officerKey = "";
const uploader: Actor = { ...officer, id: randomUUID(), label: "bulk.uploader@example.com" };

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
  auditorKey = (await createApiKey({ name: "free-text auditor", role: "auditor", createdById: null }, db.prisma)).key;
  officerKey = (await createApiKey({ name: "free-text officer", role: "privacy_officer", createdById: null }, db.prisma)).key;
});
afterAll(async () => db?.dispose());

/** "+44 20 7946 1234" as a person in the UK types it: 020 7946 1234. */
const national = (c: RichCustomer) => `0${c.phone.replace(/^\+44\s*/, "")}`;
const firstName = (c: RichCustomer) => c.name.split(" ")[0]!;
const surname = (c: RichCustomer) => c.name.split(" ")[1]!;
/** Every form of a customer's identifiers a scan must not find. */
const needles = (c: RichCustomer) => [
  ...c.needles.filter((n) => !n.startsWith("CP")), // the fixture's TC string is shared by every rich customer
  national(c),
  national(c).replace(/\D/g, ""),
  surname(c),
  c.email.split("@")[0]!,
];
const read = async (handler: typeof showBatch, path: string, id: string) => {
  const response = await handler(new Request(`http://localhost${path}`, { headers: { authorization: `Bearer ${auditorKey}` } }), {
    params: Promise.resolve({ id }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: Record<string, unknown> }).data;
};

describe("free text around a deletion", () => {
  it("keeps no identifier of the customers it concerns, written or erased, through bulk, an extension and REST", async () => {
    const [x, y, z] = [await insertRichCustomer(db), await insertRichCustomer(db), await insertRichCustomer(db)];

    const batch = await uploadDeletionBatch({
      csv: `external_id\n${x.externalId}\n${y.externalId}\n`,
      fileName: `${surname(x)}-${y.externalId}.csv`,
      reason: `Letters from ${x.name} (${x.email}) and ${firstName(y)} ${surname(y)}, call back on ${national(y)}; CRM ${y.externalId}`,
      actor: uploader,
    });
    expect(batch.status).toBe("queued");
    const [xRequest] = await db.driver.query<{ id: string }>(`SELECT id FROM deletion_requests WHERE customer_id = $1`, [x.id]);
    await extendDeletion(officer, xRequest!.id, {
      extension: 1,
      reason: `${firstName(x)} ${surname(x).toUpperCase()} sent papers late: reach her on ${national(x)} or ${x.pushToken}`,
    });

    // A third customer's deletion through the REST API, whose reason names the first two.
    const rest = await deleteCustomer(
      new Request(`http://localhost/api/customers/${z.id}`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${officerKey}`, "content-type": "application/json" },
        body: JSON.stringify({ reason: `Same household as ${x.email} (${national(x)}) and ${y.externalId}, ${y.name}` }),
      }),
      { params: Promise.resolve({ id: z.id }) },
    );
    expect(rest.status).toBe(202);
    const { data: zRequest } = (await rest.json()) as { data: { request_id: string } };

    // Written: the texts already hold none of them, though x and y are not erased yet.
    expect(deletionHits(await scanFor(db.driver, [...needles(x), ...needles(y), ...needles(z)]))).toEqual([]);

    await createDeletionProcessor({ database: db, log: () => {} }).runOnce();
    const [left] = await db.driver.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM customers WHERE id = ANY($1::uuid[]) AND erased_at IS NULL`,
      [[x.id, y.id, z.id]],
    );
    expect(left!.n).toBe(0);
    expect(await scanFor(db.driver, [...needles(x), ...needles(y), ...needles(z)])).toEqual([]);

    // What the auditor reads: each text, with [erased] where a person was.
    const shownBatch = await read(showBatch, `/api/deletion-batches/${batch.id}`, batch.id);
    expect(shownBatch.reason).toBe("Letters from [erased] ([erased]) and [erased], call back on [erased]; CRM [erased]");
    expect(shownBatch.file_name).toBe("[erased].csv");
    const shownX = await read(showRequest, `/api/deletion-requests/${xRequest!.id}`, xRequest!.id);
    expect(shownX).toMatchObject({
      reason: shownBatch.reason,
      extension_reason: "[erased] sent papers late: reach her on [erased] or [erased]",
    });
    const shownZ = await read(showRequest, `/api/deletion-requests/${zRequest.request_id}`, zRequest.request_id);
    expect(shownZ.reason).toBe("Same household as [erased] ([erased]) and [erased], [erased]");
  });

  it("scrubs again at erasure what was written before (as earlier versions stored it), in every batch that lists the customer", async () => {
    const x = await insertRichCustomer(db);
    const first = await uploadDeletionBatch({ csv: x.externalId, fileName: "first.csv", actor: uploader });
    const again = await uploadDeletionBatch({ csv: x.email, fileName: "again.csv", actor: uploader });
    // Text an earlier version kept as typed: the batches' reasons and names, and a copy on the request.
    const legacy = `From ${x.name}, ${x.email}, ${national(x)}`;
    await db.driver.query(`UPDATE deletion_batches SET reason = $2, file_name = $3 WHERE id = ANY($1::uuid[])`, [
      [first.id, again.id],
      legacy,
      `${x.externalId}.csv`,
    ]);
    await db.driver.query(`UPDATE deletion_requests SET reason = $2, extension_reason = $2 WHERE customer_id = $1`, [x.id, legacy]);
    expect(deletionHits(await scanFor(db.driver, needles(x))).length).toBeGreaterThan(0);

    await createDeletionProcessor({ database: db, log: () => {} }).runOnce();
    expect(await scanFor(db.driver, needles(x))).toEqual([]);
    const texts = await db.driver.query<{ reason: string; file_name: string }>(
      `SELECT reason, file_name FROM deletion_batches WHERE id = ANY($1::uuid[])`,
      [[first.id, again.id]],
    );
    expect(texts).toEqual([
      { reason: "From [erased], [erased], [erased]", file_name: "[erased].csv" },
      { reason: "From [erased], [erased], [erased]", file_name: "[erased].csv" },
    ]);
  });

  it.runIf(testDatabaseKind() === "postgres")(
    "two erasures scrubbing one batch's text at once never write back what the other took out",
    async () => {
      const [a, b] = [await insertRichCustomer(db), await insertRichCustomer(db)];
      const batch = await uploadDeletionBatch({ csv: `${a.externalId}\n${b.externalId}`, fileName: "pair.csv", actor: uploader });
      const legacy = `About ${a.externalId} and ${b.externalId}`; // as an earlier version kept it
      await db.driver.query(`UPDATE deletion_batches SET reason = $2 WHERE id = $1`, [batch.id, legacy]);
      const requestOf = async (c: RichCustomer) =>
        (await db.driver.query<{ id: string }>(`SELECT id FROM deletion_requests WHERE customer_id = $1`, [c.id]))[0]!.id;
      const [ra, rb] = [await requestOf(a), await requestOf(b)];
      // A scrubs and holds its write uncommitted; B reads the old text meanwhile, then waits on A's row lock.
      let commitA: () => void = () => {};
      const aWrote = new Promise<void>((resolve) => {
        void db.driver.transaction(async (tx) => {
          await scrubRequestTexts(tx, ra, [{ externalId: a.externalId }]);
          resolve();
          await new Promise<void>((release) => (commitA = release));
        });
      });
      await aWrote;
      const bDone = db.driver.transaction((tx) => scrubRequestTexts(tx, rb, [{ externalId: b.externalId }]));
      await new Promise((resolve) => setTimeout(resolve, 200));
      commitA();
      await bDone;
      const [row] = await db.driver.query<{ reason: string }>(`SELECT reason FROM deletion_batches WHERE id = $1`, [batch.id]);
      expect(row!.reason).toBe("About [erased] and [erased]");
    },
  );

  it("rescrubs every stored text after an upgrade, also about customers erased before the rule (by their tombstones)", async () => {
    const [x, y] = [await insertRichCustomer(db), await insertRichCustomer(db)];
    const batch = await uploadDeletionBatch({ csv: `${x.externalId}\n${y.externalId}`, fileName: "old.csv", actor: uploader });
    await createDeletionProcessor({ database: db, log: () => {} }).runOnce(); // x and y are erased
    const [request] = await db.driver.query<{ id: string }>(`SELECT r.id FROM deletion_requests r WHERE r.customer_id = $1`, [x.id]);
    // What an earlier version kept, after both erasures: their ids, their email, a phone, a surname.
    await db.driver.query(`UPDATE deletion_batches SET reason = $2, file_name = $3 WHERE id = $1`, [
      batch.id,
      `${x.externalId} and ${y.externalId} (${y.email})`,
      `${x.externalId}.csv`,
    ]);
    await db.driver.query(`UPDATE deletion_requests SET extension_reason = $2 WHERE id = $1`, [
      request!.id,
      `${surname(x)} called from ${national(x)}`,
    ]);
    expect(await rescrubDeletionTexts(db.driver)).toBe(2);
    expect(await scanFor(db.driver, [...needles(x), ...needles(y)])).toEqual([]);
    expect(await rescrubDeletionTexts(db.driver)).toBe(0);
  });

  it("recognises an erased customer's name and external id in an extension written after the erasure", async () => {
    const c = await insertRichCustomer(db);
    // An integration still to be told keeps the request open (erased, not completed), so it can be extended.
    await createIntegration(db.driver, "http://127.0.0.1:9/never-answered");
    const { request } = await requestDeletion({ customer: { id: c.id }, source: "dashboard", actor: officer });
    expect(request.status).toBe("erased");
    await extendDeletion(officer, request.id, { extension: 1, reason: `${firstName(c)} (${c.externalId}) asked us to wait` });
    const [row] = await db.driver.query<{ extension_reason: string }>(`SELECT extension_reason FROM deletion_requests WHERE id = $1`, [
      request.id,
    ]);
    expect(row!.extension_reason).toBe("[erased] ([erased]) asked us to wait");
  });

  it("scrubs a dashboard deletion's reason as the REST one's", async () => {
    const [c, other] = [await insertRichCustomer(db), await insertRichCustomer(db)];
    const { request } = await requestDeletion({
      customer: { id: c.id },
      source: "dashboard",
      reason: `Asked by ${surname(c)} for ${other.externalId} too`,
      actor: officer,
    });
    const [row] = await db.driver.query<{ reason: string }>(`SELECT reason FROM deletion_requests WHERE id = $1`, [request.id]);
    expect(row!.reason).toBe("Asked by [erased] for [erased] too");
    // The other customer, named by external id, lost their name as well: they are not erased, and nothing of them is in the text.
    expect(deletionHits(await scanFor(db.driver, needles(other)))).toEqual([]);
  });
});

const deletionHits = (hits: Awaited<ReturnType<typeof scanFor>>) => hits.filter((h) => h.table.startsWith("deletion_"));
