import { describe, expect, it } from "vitest";
import { cleanText, redactSummary } from "../redact.ts";

describe("redactSummary", () => {
  it("drops secrets whatever the target, at any depth", () => {
    expect(
      redactSummary(
        {
          name: "CI import key",
          role: "marketer",
          key: "cdk_live_abc",
          keyHash: "f00",
          api_key: "x",
          password: "hunter2",
          nested: { accessToken: "t", refresh_token: "r", clientSecret: "s", kept: 1 },
          list: [{ token: "t", ok: true }],
        },
        "api_key",
      ),
    ).toEqual({ name: "CI import key", role: "marketer", nested: { kept: 1 }, list: [{ ok: true }] });
  });

  it("drops a customer's personal data when the entry is about a customer", () => {
    expect(
      redactSummary(
        {
          before: { email_marketing: true, email: "ana@example.com", name: "Ana", phone: "+34 600" },
          after: { email_marketing: false, push_token: "tok", externalId: "ext-1" },
          first_name: "Ana",
          customer_id: "ext-1",
          source: "dashboard",
          reason: "she wrote from ana@example.com",
        },
        "customer",
      ),
    ).toEqual({ before: { email_marketing: true }, after: { email_marketing: false }, source: "dashboard" });
  });

  it("keeps a staff member's name and email on a user entry", () => {
    expect(redactSummary({ email: "bob@staff.example", name: "Bob", role: { before: "marketer", after: "admin" } }, "user")).toEqual({
      email: "bob@staff.example",
      name: "Bob",
      role: { before: "marketer", after: "admin" },
    });
  });

  it("keeps JSON only: undefined dropped, non-finite numbers nulled, no summary an empty object", () => {
    expect(redactSummary({ a: undefined, b: Number.NaN, c: [1, undefined as unknown as number], d: null }, undefined)).toEqual({
      b: null,
      c: [1],
      d: null,
    });
    expect(redactSummary(undefined, "customer")).toEqual({});
  });
});

describe("cleanText", () => {
  it("replaces NUL, which PostgreSQL text refuses, and caps the length", () => {
    expect(cleanText("a\u0000b", 10)).toBe("a\uFFFDb");
    expect(cleanText("abcdef", 4)).toBe("abc…");
    expect(cleanText("abcd", 4)).toBe("abcd");
  });
});
