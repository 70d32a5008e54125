import { describe, expect, it } from "vitest";
import { describeTestResult } from "./integration-copy";

const base = { signalId: "00000000-0000-4000-8000-000000000001", latencyMs: 1234, receiverRef: null, error: null };

describe("describeTestResult", () => {
  it.each([
    [
      { ...base, delivered: true, statusCode: 200, receiverRef: "rcv_9" },
      "Delivered: the endpoint answered 200 in 1,234 ms.",
      ["Receiver reference: rcv_9"],
    ],
    [
      { ...base, delivered: true, statusCode: 204 },
      "Delivered: the endpoint answered 204 in 1,234 ms.",
      ["The receiver named no reference."],
    ],
    [
      { ...base, delivered: false, statusCode: 500, error: "The endpoint answered 500." },
      "Not delivered: The endpoint answered 500.",
      ["It answered after 1,234 ms."],
    ],
    [
      { ...base, delivered: false, statusCode: null, error: "The endpoint refused the connection." },
      "Not delivered: The endpoint refused the connection.",
      ["No HTTP answer, after 1,234 ms."],
    ],
  ])("%o reads as %s", (result, headline, details) => {
    expect(describeTestResult(result)).toEqual({ headline, details });
  });
});
