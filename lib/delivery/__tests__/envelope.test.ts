import { describe, expect, it } from "vitest";
import { receiverReference, webhookBody } from "../envelope.ts";

describe("the webhook body", () => {
  it("is {type, timestamp, data} with the Standard Webhooks type of the signal's kind", () => {
    const createdAt = new Date("2026-12-01T12:00:00.000Z");
    expect(JSON.parse(webhookBody({ kind: "consent_change", createdAt, payload: { customer_id: "c-1" } }))).toEqual({
      type: "customer.consent_changed",
      timestamp: "2026-12-01T12:00:00.000Z",
      data: { customer_id: "c-1" },
    });
    expect(JSON.parse(webhookBody({ kind: "delete", createdAt, payload: {} })).type).toBe("customer.deleted");
    expect(JSON.parse(webhookBody({ kind: "test", createdAt, payload: {} })).type).toBe("integration.test");
  });
});

describe("the receiver's reference", () => {
  it.each([
    ['{"reference":"rcv-1"}', "rcv-1"],
    ['{"id":42}', "42"],
    ['{"data":{"request_id":"abc"}}', "abc"],
    ['{"ref":"  r-2  "}', "r-2"],
    ['{"id":"x","reference":"wins"}', "wins"],
    ["ok", null],
    ["", null],
    ["[1,2]", null],
    ['{"id":{"nested":1}}', null],
    [`{"id":"${"x".repeat(201)}"}`, null],
    ['{"id":"a\\u0000b"}', null],
    ['{"id":"\\ud800"}', null],
  ])("%s → %s", (body, ref) => {
    expect(receiverReference(body)).toBe(ref);
  });
});
