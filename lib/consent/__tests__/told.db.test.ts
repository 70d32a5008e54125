import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertIntegration, insertSignal, type SignalInput } from "../../integrations/__tests__/fixtures.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { signalFatesForChanges, toldAsOf } from "../told.ts";

// One customer, two consent changes, three integrations: what each change
// queued and became, and what each integration had been told at given times.

const T1 = new Date("2026-11-01T10:00:00.000Z");
const T2 = new Date("2026-11-05T10:00:00.000Z");
const plus = (t: Date, s: number) => new Date(t.getTime() + s * 1000);

let db: TestDatabase;
let customer: string;
let stranger: string;
const changes: Record<"v1" | "v2", string> = { v1: "", v2: "" };
const ints = { braze: "", meta: "", warehouse: "", later: "" };
const sig: Record<string, string> = {};

async function change(customerId: string, version: number, changedAt: Date): Promise<string> {
  const [row] = await db.driver.query<{ id: string }>(
    `INSERT INTO consent_changes (customer_id, version, source, actor_type, actor_label, changed_at, after, changed)
     VALUES ($1, $2, 'dashboard', 'user', 'privacy@example.com', $3, '{"purposes": {}, "vendors": {}}', ARRAY['vendors.meta'])
     RETURNING id::text`,
    [customerId, version, changedAt],
  );
  return row!.id;
}

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
  const made = await db.driver.query<{ id: string }>(
    `INSERT INTO customers (external_id) VALUES ('cus_told'), ('cus_stranger') RETURNING id::text`,
  );
  [customer, stranger] = made.map((r) => r.id) as [string, string];
  ints.braze = await insertIntegration(db, { name: "Braze", purposes: ["email_marketing"] });
  ints.meta = await insertIntegration(db, { name: "Meta" });
  ints.warehouse = await insertIntegration(db, { name: "Warehouse" });
  // Connected before anything below happened; "Later" only after T2.
  await db.driver.query(`UPDATE integrations SET created_at = $1 WHERE id = ANY($2::uuid[])`, [
    new Date(T1.getTime() - 86_400_000),
    [ints.braze, ints.meta, ints.warehouse],
  ]);
  ints.later = await insertIntegration(db, { name: "Later" });
  await db.driver.query(`UPDATE integrations SET created_at = $1 WHERE id = $2`, [new Date(T2.getTime() + 3_600_000), ints.later]);
  changes.v1 = await change(customer, 1, T1);
  changes.v2 = await change(customer, 2, T2);

  const s = (key: string, integrationId: string, changeId: string, version: number, rest: Partial<SignalInput>) =>
    insertSignal(db, {
      integrationId,
      customerId: customer,
      consentChangeId: changeId,
      createdAt: version === 1 ? T1 : T2,
      payload: { allowed: version === 2, version },
      ...rest,
    }).then((id) => (sig[key] = id));
  // v1: Meta told within a second; Braze failed; Warehouse delivered late, after v2's (out of order).
  await s("meta1", ints.meta, changes.v1, 1, { status: "delivered", attempts: 1, deliveredAt: plus(T1, 1), receiverRef: "meta-1" });
  await s("braze1", ints.braze, changes.v1, 1, {
    status: "failed",
    attempts: 10,
    failedAt: plus(T1, 3 * 86400),
    lastError: "The endpoint answered 500.",
    lastStatusCode: 500,
  });
  await s("warehouse1", ints.warehouse, changes.v1, 1, { status: "delivered", attempts: 5, deliveredAt: plus(T2, 20) });
  // v2: Meta told after 5 s; Braze retrying; Warehouse delivered before v1's.
  await s("meta2", ints.meta, changes.v2, 2, { status: "delivered", attempts: 1, deliveredAt: plus(T2, 5), receiverRef: "meta-2" });
  await s("braze2", ints.braze, changes.v2, 2, {
    status: "retrying",
    attempts: 2,
    nextAttemptAt: plus(T2, 600),
    lastError: "No answer within 15 s.",
  });
  await s("warehouse2", ints.warehouse, changes.v2, 2, { status: "delivered", attempts: 1, deliveredAt: plus(T2, 15) });
  // Someone else's, to the same integrations: never shown here.
  const theirs = await change(stranger, 1, T1);
  await insertSignal(db, {
    integrationId: ints.meta,
    customerId: stranger,
    consentChangeId: theirs,
    status: "delivered",
    deliveredAt: plus(T1, 0.5),
    payload: { allowed: true, version: 1 },
  });
});
afterAll(async () => db?.dispose());

describe("the signals each consent change queued", () => {
  it("lists, per change, each integration's signal and fate, by integration name", async () => {
    const fates = await signalFatesForChanges(customer, [changes.v1, changes.v2, "999999"]);
    expect(Object.keys(fates).sort()).toEqual([changes.v1, changes.v2].sort());
    expect(fates[changes.v1]!.map((f) => [f.integration, f.status])).toEqual([
      ["Braze", "failed"],
      ["Meta", "delivered"],
      ["Warehouse", "delivered"],
    ]);
    expect(fates[changes.v1]![1]).toMatchObject({ signalId: sig.meta1, allowed: false, deliveredAt: plus(T1, 1), receiverRef: "meta-1" });
    expect(fates[changes.v1]![0]).toMatchObject({ lastError: "The endpoint answered 500.", lastStatusCode: 500, attempts: 10 });
    expect(fates[changes.v2]![0]).toMatchObject({ integration: "Braze", status: "retrying", nextAttemptAt: plus(T2, 600), allowed: true });
  });

  it("answers nothing for another customer's changes, a malformed id or no changes", async () => {
    expect(await signalFatesForChanges(stranger, [changes.v1])).toEqual({});
    expect(await signalFatesForChanges("nope", [changes.v1])).toEqual({});
    expect(await signalFatesForChanges(customer, [])).toEqual({});
    expect(await signalFatesForChanges(customer, ["1; DROP TABLE x", "-1"])).toEqual({});
  });
});

describe("what each integration had been told as of a time", () => {
  const told = async (at: Date) =>
    Object.fromEntries(
      (await toldAsOf(customer, at)).map((t) => [
        t.integration,
        t.told && { version: t.told.version, allowed: t.told.allowed, ref: t.told.receiverRef },
      ]),
    );

  it("is nothing before the first delivery, whatever another customer was told", async () => {
    expect(await told(plus(T1, 0.9))).toEqual({ Braze: null, Meta: null, Warehouse: null });
  });

  it("is the delivered signal at or before the time, with its version and decision", async () => {
    expect(await told(plus(T1, 1))).toEqual({ Braze: null, Meta: { version: 1, allowed: false, ref: "meta-1" }, Warehouse: null });
    expect(await told(plus(T2, 10))).toEqual({ Braze: null, Meta: { version: 2, allowed: true, ref: "meta-2" }, Warehouse: null });
  });

  it("is the newest version told, even when an older one arrived later", async () => {
    expect((await told(plus(T2, 16))).Warehouse).toEqual({ version: 2, allowed: true, ref: null });
    expect((await told(plus(T2, 30))).Warehouse).toEqual({ version: 2, allowed: true, ref: null });
  });

  it("names every integration there was by then, with the purposes it uses", async () => {
    const rows = await toldAsOf(customer, T2);
    expect(rows.map((r) => r.integration)).toEqual(["Braze", "Meta", "Warehouse"]);
    expect((await toldAsOf(customer, new Date(T2.getTime() + 7_200_000))).map((r) => r.integration)).toEqual([
      "Braze",
      "Later",
      "Meta",
      "Warehouse",
    ]);
    expect(rows[0]!.purposes).toEqual(["email_marketing"]);
    expect(await toldAsOf("nope", T2)).toEqual([]);
  });
});
