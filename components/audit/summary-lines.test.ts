import { describe, expect, it } from "vitest";
import { summaryLines } from "./summary-lines";

describe("summaryLines", () => {
  it("collapses a before/after pair to what changed, then the other keys", () => {
    expect(
      summaryLines({
        before: { email_marketing: true, link_tracking: true, vendors: { meta: true } },
        after: { email_marketing: false, link_tracking: true, vendors: { meta: false } },
        source: "dashboard",
      }),
    ).toEqual(["email_marketing: true → false", 'vendors: {"meta":true} → {"meta":false}', "source: dashboard"]);
  });

  it("shows a value that appeared or went away", () => {
    expect(summaryLines({ before: {}, after: { role: "admin" } })).toEqual(["role: — → admin"]);
    expect(summaryLines({ before: { email_marketing: true }, after: { email_marketing: true } })).toEqual(["no change"]);
  });

  it("lists other summaries as key: value and cuts long values", () => {
    expect(summaryLines({ integrations: 3, reason: "x".repeat(100), before: "scalar" })).toEqual([
      "integrations: 3",
      `reason: ${"x".repeat(59)}…`,
      "before: scalar",
    ]);
    expect(summaryLines({})).toEqual([]);
  });
});
