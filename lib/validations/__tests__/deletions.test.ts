import { describe, expect, it } from "vitest";
import { DeleteCustomerSchema } from "../deletions.ts";

describe("DeleteCustomerSchema", () => {
  it("takes any customer id the database holds, not only version-4 UUIDs (seeded ids are md5(...)::uuid)", () => {
    for (const customerId of [
      "5d41402a-bc4b-2a76-b971-9d911017c592",
      "00000000-0000-4000-8000-000000000010",
      "b1946ac9-2492-d234-7c6a-a07b8a9d6ec1",
    ]) {
      expect(DeleteCustomerSchema.safeParse({ customerId, confirmation: "x" }).success).toBe(true);
    }
    expect(DeleteCustomerSchema.safeParse({ customerId: "not-an-id", confirmation: "x" }).success).toBe(false);
  });
});
