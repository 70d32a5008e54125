import { describe, expect, it } from "vitest";
import { dueAt } from "../deletions/deadlines.ts";
import { formatDate } from "../format.ts";

describe("formatDate", () => {
  it("shows a deletion's due day in the business's time zone, where it ends", () => {
    // CCPA, received 10 January in Los Angeles: due at the end of 24 February there (08:00 UTC on the 25th).
    const due = dueAt({ regime: "ccpa", receivedAt: new Date("2026-01-10T18:00:00Z"), timeZone: "America/Los_Angeles" });
    expect(due.toISOString()).toBe("2026-02-25T07:59:59.999Z");
    expect(formatDate(due, "America/Los_Angeles")).toBe("24 Feb 2026");
    expect(formatDate(due)).toBe("25 Feb 2026");
  });
});
