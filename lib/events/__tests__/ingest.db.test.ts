import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "../../../app/api/events/route.ts";
import { createApiKey } from "../../auth/api-keys.ts";
import { getCustomerProfile } from "../../customers/profile.ts";
import { createCustomer } from "../../seed/factories.ts";
import { seedDatabase } from "../../seed/index.ts";
import { DEMO_CUSTOMERS } from "../../seed/reference.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../../testing/test-database.ts";
import { ingestEvents, UnknownCustomersError, type IngestedEvent } from "../ingest.ts";

let db: TestDatabase;
let marketerKey: string;
let auditorKey: string;

const COUPON = { kind: "coupon", campaign: "Coupon over 50", reward: "SAVE10" };
const PUNCH = { kind: "punchcard", campaign: "Coffee punch card", reward: "coffee-card" };

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
  // Reference data, the demo campaigns and the demo customers (Ana: not recorded; Chen: behavioral off).
  await seedDatabase(db.driver, { customers: 0, eventsPerCustomer: 0 });
  const all = { behavioral_campaigns: true, coupon_campaigns: true, punchcard_campaigns: true } as const;
  await createCustomer(db.prisma, { externalId: "ev-coupon-off", consent: { purposes: { ...all, coupon_campaigns: false } } });
  await createCustomer(db.prisma, { externalId: "ev-punch-off", consent: { purposes: { ...all, punchcard_campaigns: false } } });
  await createCustomer(db.prisma, { externalId: "ev-only-behavioral", consent: { purposes: { behavioral_campaigns: true } } });
  await db.driver.query(
    `INSERT INTO loyalty_campaigns (name, kind, event_type, points, active) VALUES ('Retired refund bonus', 'points', 'refund', 500, false)`,
  );
  marketerKey = (await createApiKey({ name: "events marketer", role: "marketer", createdById: null }, db.prisma)).key;
  auditorKey = (await createApiKey({ name: "events auditor", role: "auditor", createdById: null }, db.prisma)).key;
});
afterAll(async () => db?.dispose());

type EventsAnswer = { events: IngestedEvent[]; processed: number; partially_withheld: number; withheld: number; duplicates: number };

async function post(body: unknown, options: { key?: string | null; raw?: string } = {}) {
  const key = options.key === undefined ? marketerKey : options.key;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key) headers.authorization = `Bearer ${key}`;
  const response = await POST(
    new Request("http://localhost/api/events", { method: "POST", headers, body: options.raw ?? JSON.stringify(body) }),
  );
  const json = (await response.json()) as {
    data?: EventsAnswer;
    error?: { code: string; message: string; fields?: Record<string, string> };
  };
  return { status: response.status, data: json.data as EventsAnswer, error: json.error! };
}

const eventCount = async () => Number((await db.driver.query<{ n: string }>(`SELECT count(*) AS n FROM loyalty_events`))[0]!.n);
const stored = async (id: string) =>
  (
    await db.driver.query<Record<string, unknown>>(
      `SELECT e.type, e.amount, e.occurred_at, e.outcome, e.withheld_reason, e.points_awarded, e.tier_progress, e.rewards, e.withheld,
         e.attributes, c.external_id
       FROM loyalty_events e JOIN customers c ON c.id = e.customer_id WHERE e.id = $1`,
      [id],
    )
  )[0]!;

describe("POST /api/events: what consent lets an event earn, as stored", () => {
  it("not recorded: everything allowed", async () => {
    const { status, data } = await post({ customer_id: "demo-ana", type: "purchase", amount: 60, attributes: { store: "Downtown" } });
    expect(status).toBe(200);
    expect(data).toMatchObject({ processed: 1, partially_withheld: 0, withheld: 0 });
    const event = data.events[0]!;
    expect(event).toMatchObject({
      index: 0,
      customer_id: "demo-ana",
      status: "processed",
      points: 60,
      tier_progress: 60,
      rewards: [COUPON, PUNCH],
      withheld: [],
      withheld_reason: null,
    });
    expect(await stored(event.id)).toMatchObject({
      external_id: "demo-ana",
      type: "purchase",
      amount: "60.00",
      outcome: "processed",
      withheld_reason: null,
      points_awarded: 60,
      tier_progress: 60,
      rewards: [COUPON, PUNCH],
      withheld: [],
      attributes: { store: "Downtown" },
    });
  });

  it("shows on the profile with tier progress, rewards and what was withheld", async () => {
    const dana = DEMO_CUSTOMERS[3];
    await post({ events: [{ customer_id: dana.externalId, type: "purchase", amount: 51 }] });
    const profile = await getCustomerProfile(dana.id);
    expect(profile?.events[0]).toMatchObject({
      type: "purchase",
      amount: "51.00",
      pointsAwarded: 51,
      tierProgress: 51,
      rewards: [COUPON, PUNCH],
      withheld: [],
    });
  });

  it("behavioral_campaigns off: stored, earning nothing, saying why", async () => {
    const { status, data } = await post({ customer_id: "demo-chen", type: "purchase", amount: 60 });
    expect(status).toBe(200);
    expect(data).toMatchObject({ processed: 0, withheld: 1 });
    const row = await stored(data.events[0]!.id);
    expect(row).toMatchObject({
      outcome: "withheld",
      withheld_reason: "consent:behavioral_campaigns",
      points_awarded: 0,
      tier_progress: 0,
      rewards: [],
    });
    expect((row.withheld as Array<{ purpose: string }>).map((w) => w.purpose)).toEqual(Array(4).fill("behavioral_campaigns"));
  });

  it("coupon_campaigns off: the coupon withheld, points, tier and punch still granted", async () => {
    const { data } = await post({ customer_id: "ev-coupon-off", type: "purchase", amount: 75.25 });
    expect(await stored(data.events[0]!.id)).toMatchObject({
      outcome: "partially_withheld",
      withheld_reason: "consent:coupon_campaigns",
      points_awarded: 75,
      tier_progress: 75,
      rewards: [PUNCH],
      withheld: [{ kind: "coupon", campaign: "Coupon over 50", purpose: "coupon_campaigns" }],
    });
  });

  it("punchcard_campaigns off: the punch withheld", async () => {
    const { data } = await post({ customer_id: "ev-punch-off", type: "purchase", amount: 80 });
    expect(await stored(data.events[0]!.id)).toMatchObject({
      outcome: "partially_withheld",
      withheld_reason: "consent:punchcard_campaigns",
      points_awarded: 80,
      rewards: [COUPON],
      withheld: [{ kind: "punchcard", campaign: "Coffee punch card", purpose: "punchcard_campaigns" }],
    });
  });

  it("recorded with coupon and punch card absent: both blocked", async () => {
    const { data } = await post({ customer_id: "ev-only-behavioral", type: "purchase", amount: 50 });
    expect(data.events[0]).toMatchObject({
      status: "partially_withheld",
      points: 50,
      rewards: [],
      withheld_reason: "consent:coupon_campaigns,consent:punchcard_campaigns",
    });
  });

  it("ignores inactive campaigns and unmatched types, and keeps the time sent", async () => {
    const occurredAt = "2026-11-01T08:15:00.123+02:00";
    const { data } = await post({
      events: [
        { customer_id: "demo-dana", type: "refund", amount: 5, occurred_at: occurredAt },
        { customer_id: "demo-dana", type: "check_in" },
      ],
    });
    expect(data.events.map((e) => [e.status, e.points])).toEqual([
      ["processed", 0],
      ["processed", 10],
    ]);
    expect((await stored(data.events[0]!.id)).occurred_at).toEqual(new Date(occurredAt));
  });
});

describe("POST /api/events: batches", () => {
  it("stores 1,000 events at once, answering each in the order sent", async () => {
    const before = await eventCount();
    const who = ["demo-ana", "demo-bruno", "demo-chen", "demo-dana", "ev-coupon-off"];
    const events = Array.from({ length: 1000 }, (_, i) => ({
      customer_id: who[i % who.length],
      type: "purchase",
      amount: i,
      attributes: { n: i },
    }));
    const { status, data } = await post({ events });
    expect(status).toBe(200);
    expect(data.events).toHaveLength(1000);
    expect(data.processed + data.partially_withheld + data.withheld).toBe(1000);
    expect(data.withheld).toBe(200); // demo-chen
    expect(await eventCount()).toBe(before + 1000);
    const ids: string[] = data.events.map((e) => e.id);
    const rows = await db.driver.query<{ id: string; amount: string; n: number; external_id: string }>(
      `SELECT e.id, e.amount, (e.attributes->>'n')::int AS n, c.external_id FROM loyalty_events e JOIN customers c ON c.id = e.customer_id
       WHERE e.id = ANY($1::bigint[])`,
      [ids],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    data.events.forEach((e, i) => {
      expect(e.index).toBe(i);
      expect(byId.get(e.id)).toMatchObject({ n: i, amount: `${i}.00`, external_id: who[i % who.length] });
    });
  });

  it("refuses 1,001 events with 413 and writes nothing", async () => {
    const before = await eventCount();
    const events = Array.from({ length: 1001 }, () => ({ customer_id: "demo-ana", type: "purchase" }));
    const { status, error } = await post({ events });
    expect(status).toBe(413);
    expect(error).toMatchObject({ code: "batch_too_large", fields: { events: expect.any(String) } });
    expect(await eventCount()).toBe(before);
  });

  it("refuses the whole batch when a customer is unknown, naming each", async () => {
    const before = await eventCount();
    const events = [
      { customer_id: "demo-ana", type: "purchase" },
      { customer_id: "nobody-1", type: "purchase" },
      { customer_id: "demo-dana", type: "check_in" },
      { customer_id: "nobody-2", type: "check_in" },
    ];
    const { status, error } = await post({ events });
    expect(status).toBe(422);
    expect(error.code).toBe("unknown_customer");
    expect(Object.keys(error.fields!).sort()).toEqual(["events[1].customer_id", "events[3].customer_id"]);
    expect(await eventCount()).toBe(before);

    const single = await post({ customer_id: "nobody-1", type: "purchase" });
    expect(single.status).toBe(422);
    expect(Object.keys(single.error.fields!)).toEqual(["customer_id"]);
    await expect(
      ingestEvents([{ customer_id: "x", type: "a", amount: null, occurred_at: new Date(), attributes: {} }], db),
    ).rejects.toBeInstanceOf(UnknownCustomersError);
    expect(await eventCount()).toBe(before);
  });
});

describe("POST /api/events: bad input, nothing written", () => {
  it.each([
    ["a non-number amount", { events: [{ customer_id: "demo-ana", type: "purchase", amount: "12" }] }, "events[0].amount"],
    ["a negative amount (single event)", { customer_id: "demo-ana", type: "purchase", amount: -1 }, "amount"],
    [
      "an unknown key, named",
      {
        events: [
          { customer_id: "demo-ana", type: "purchase" },
          { customer_id: "demo-ana", type: "purchase", colour: "red" },
        ],
      },
      "events[1].colour",
    ],
    ["an unknown key on a single event", { customer_id: "demo-ana", type: "purchase", colour: "red" }, "colour"],
    ["an unknown key beside events", { events: [{ customer_id: "demo-ana", type: "purchase" }], source: "pos" }, "source"],
    ["a bad type", { events: [{ customer_id: "demo-ana", type: "Purchase!" }] }, "events[0].type"],
    ["a missing customer_id", { type: "purchase" }, "customer_id"],
    ["an empty customer_id", { customer_id: "", type: "purchase" }, "customer_id"],
    ["occurred_at without a time zone", { customer_id: "demo-ana", type: "purchase", occurred_at: "2026-11-30T08:15:00" }, "occurred_at"],
    [
      "occurred_at an hour ahead",
      { customer_id: "demo-ana", type: "purchase", occurred_at: new Date(Date.now() + 3_600_000).toISOString() },
      "occurred_at",
    ],
    ["attributes over 4 KB", { customer_id: "demo-ana", type: "purchase", attributes: { note: "x".repeat(4100) } }, "attributes"],
    ["attributes not an object", { customer_id: "demo-ana", type: "purchase", attributes: [1] }, "attributes"],
    ["a NUL character in attributes", { customer_id: "demo-ana", type: "purchase", attributes: { note: "a\u0000b" } }, "attributes"],
    ["no events", { events: [] }, "events"],
    ["events not a list", { events: "many" }, "events"],
    ["a JSON array body", [{ customer_id: "demo-ana", type: "purchase" }], "body"],
  ])("422 for %s, naming %s", async (_name, body, field) => {
    const before = await eventCount();
    const { status, error } = await post(body);
    expect(status).toBe(422);
    expect(error).toMatchObject({ code: "invalid_request", message: expect.any(String) });
    expect(error.fields).toHaveProperty([field]);
    expect(await eventCount()).toBe(before);
  });

  it("a literal backslash-u in attributes is fine", async () => {
    const { status } = await post({ customer_id: "demo-ana", type: "note", attributes: { path: "C:\\u0000dir" } });
    expect(status).toBe(200);
  });

  it("400 for malformed JSON", async () => {
    const { status, error } = await post(undefined, { raw: '{"customer_id": "demo-ana",' });
    expect(status).toBe(400);
    expect(error.code).toBe("invalid_json");
  });

  it("413 for a body over 2 MB, before parsing it", async () => {
    const { status, error } = await post(undefined, {
      raw: `{"customer_id": "demo-ana", "type": "x", "attributes": {"a": "${"x".repeat(2 * 1024 * 1024)}"}}`,
    });
    expect(status).toBe(413);
    expect(error.code).toBe("payload_too_large");
  });

  it("401 without a key, 403 for an auditor", async () => {
    const body = { customer_id: "demo-ana", type: "purchase" };
    expect((await post(body, { key: null })).status).toBe(401);
    expect((await post(body, { key: "not-a-key" })).status).toBe(401);
    const forbidden = await post(body, { key: auditorKey });
    expect(forbidden.status).toBe(403);
    expect(forbidden.error.code).toBe("forbidden");
  });
});

describe("POST /api/events: event_id makes resending safe", () => {
  const batch = {
    events: [
      { customer_id: "demo-ana", event_id: "pos-1001", type: "purchase", amount: 60 },
      { customer_id: "demo-chen", event_id: "pos-1002", type: "purchase", amount: 10 },
      { customer_id: "demo-ana", type: "check_in" },
    ],
  };

  it("a resent batch stores nothing new for events with an event_id and answers them as first stored", async () => {
    const first = await post(batch);
    expect(first.status).toBe(200);
    expect(first.data.events.map((e) => e.duplicate)).toEqual([false, false, false]);
    const before = await eventCount();

    const again = await post(batch);
    expect(again.status).toBe(200);
    // The event without an event_id cannot be recognised, so it is stored again.
    expect(await eventCount()).toBe(before + 1);
    expect(again.data.events.map((e) => e.duplicate)).toEqual([true, true, false]);
    expect(again.data).toMatchObject({ duplicates: 2 });
    for (const i of [0, 1]) {
      const { duplicate: _first, ...was } = first.data.events[i]!;
      const { duplicate: _again, ...now } = again.data.events[i]!;
      expect(now).toEqual(was);
    }
    expect(again.data.events[2]!.id).not.toBe(first.data.events[2]!.id);
  });

  it("the same event_id twice in one batch is stored once; the same id for another customer is another event", async () => {
    const before = await eventCount();
    const { data } = await post({
      events: [
        { customer_id: "demo-dana", event_id: "app-7", type: "purchase", amount: 5 },
        { customer_id: "demo-dana", event_id: "app-7", type: "purchase", amount: 5 },
        { customer_id: "demo-bruno", event_id: "app-7", type: "purchase", amount: 5 },
      ],
    });
    expect(data.events.map((e) => e.duplicate)).toEqual([false, true, false]);
    expect(data.events[1]!.id).toBe(data.events[0]!.id);
    expect(await eventCount()).toBe(before + 2);
  });

  it.runIf(testDatabaseKind() === "postgres")("the same batch sent twice at once is stored once", async () => {
    const before = await eventCount();
    const events = Array.from({ length: 50 }, (_, i) => ({
      customer_id: i % 2 ? "demo-dana" : "demo-bruno",
      event_id: `race-${i}`,
      type: "purchase",
      amount: i,
    }));
    const answers = await Promise.all([post({ events }), post({ events })]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(await eventCount()).toBe(before + 50);
    const [a, b] = answers.map((x) => x.data.events);
    for (let i = 0; i < 50; i++) {
      expect([a![i]!.duplicate, b![i]!.duplicate].sort()).toEqual([false, true]);
      expect(a![i]!.id).toBe(b![i]!.id);
    }
  });

  it("refuses an empty or non-string event_id by name", async () => {
    const { status, error } = await post({
      events: [
        { customer_id: "demo-ana", event_id: "", type: "purchase" },
        { customer_id: "demo-ana", event_id: 7, type: "purchase" },
      ],
    });
    expect(status).toBe(422);
    expect(Object.keys(error.fields!)).toEqual(["events[0].event_id", "events[1].event_id"]);
  });
});
