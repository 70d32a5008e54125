import { describe, expect, it } from "vitest";
import { parseEventsBody } from "../events.ts";
import { fieldPath } from "../fields.ts";

const now = new Date("2026-11-29T12:00:00Z");

describe("parseEventsBody", () => {
  it("takes one event, applying the defaults", () => {
    expect(parseEventsBody({ customer_id: "c1", type: "check_in" }, now)).toEqual({
      ok: true,
      single: true,
      events: [{ customer_id: "c1", event_id: null, type: "check_in", amount: null, occurred_at: now, attributes: {} }],
    });
  });

  it("takes a batch, rounding amounts to cents and reading offsets", () => {
    const parsed = parseEventsBody(
      { events: [{ customer_id: "c1", type: "purchase", amount: 10.006, occurred_at: "2026-11-29T13:00:00+02:00" }] },
      now,
    );
    expect(parsed).toMatchObject({ ok: true, single: false, events: [{ amount: 10.01, occurred_at: new Date("2026-11-29T11:00:00Z") }] });
  });

  it.each([
    ["1,001 events: 413 before any other check", { events: Array(1001).fill({}) }, 413, "events"],
    ["an empty events list", { events: [] }, 422, "events"],
    ["a string amount", { events: [{ customer_id: "c", type: "t", amount: "1" }] }, 422, "events[0].amount"],
    ["an amount over the limit", { customer_id: "c", type: "t", amount: 1e9 + 1 }, 422, "amount"],
    ["a customer id over 200 characters", { customer_id: "x".repeat(201), type: "t" }, 422, "customer_id"],
    ["a NUL in the customer id", { customer_id: "a\u0000", type: "t" }, 422, "customer_id"],
    ["an unpaired surrogate in attributes", { customer_id: "c", type: "t", attributes: { k: "\ud800" } }, 422, "attributes"],
    ["a type over 64 characters", { customer_id: "c", type: `a${"b".repeat(64)}` }, 422, "type"],
    [
      "an unknown key in the third event",
      {
        events: [
          { customer_id: "c", type: "t" },
          { customer_id: "c", type: "t" },
          { customer_id: "c", type: "t", x: 1 },
        ],
      },
      422,
      "events[2].x",
    ],
    ["an occurred_at in year 0", { customer_id: "c", type: "t", occurred_at: "0000-01-01T00:00:00Z" }, 422, "occurred_at"],
    ["null instead of an object", null, 422, "body"],
  ])("refuses %s", (_name, body, status, field) => {
    const parsed = parseEventsBody(body, now);
    expect(parsed).toMatchObject({ ok: false, status });
    if (!parsed.ok) expect(parsed.fields).toHaveProperty([field]);
  });

  it("names every unknown key", () => {
    const parsed = parseEventsBody({ customer_id: "c", type: "t", a: 1, b: 2 }, now);
    expect(!parsed.ok && parsed.fields).toEqual({ a: "Unknown field.", b: "Unknown field." });
  });
});

describe("fieldPath", () => {
  it.each([
    [["events", 3, "type"], "events[3].type"],
    [["type"], "type"],
    [["events"], "events"],
    [[], ""],
  ] as const)("%j → %s", (path, expected) => {
    expect(fieldPath(path)).toBe(expected);
  });
});
