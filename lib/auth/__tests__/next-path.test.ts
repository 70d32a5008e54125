import { describe, expect, it } from "vitest";
import { safeNextPath, SignInSchema } from "../../validations/auth.ts";
import { signInUrl } from "../sign-in-redirect.ts";

describe("safeNextPath", () => {
  it.each([
    ["/audiences", "/audiences"],
    ["/customers?q=ana&sort=name#top", "/customers?q=ana&sort=name#top"],
    ["/customers/./123", "/customers/123"],
    ["/a/../audit", "/audit"],
    ["/%2e%2e/audit", "/audit"],
  ])("keeps %j as %j", (value, expected) => {
    expect(safeNextPath(value)).toBe(expected);
  });

  it.each([
    undefined,
    "",
    "//evil.example",
    "/..//evil.example",
    "/.//evil.example",
    "/%2e%2e//evil.example",
    "/%2E%2E//evil.example",
    "/a/..//evil.example/path",
    "/a/b/../..//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    " //evil.example",
    "https://evil.example/",
    "http://consent-desk.invalid/customers",
    "javascript:alert(1)",
    "evil.example",
    "/..\\/evil.example",
  ])("refuses %j", (value) => {
    expect(safeNextPath(value)).toBeUndefined();
  });

  it("is what the sign-in schema keeps", () => {
    expect(SignInSchema.shape.next.parse("/..//evil.example")).toBeUndefined();
    expect(SignInSchema.shape.next.parse("/audiences?audience=a")).toBe("/audiences?audience=a");
  });
});

describe("signInUrl", () => {
  it.each([
    ["/audiences", "/sign-in?next=%2Faudiences"],
    ["/customers?q=ana", "/sign-in?next=%2Fcustomers%3Fq%3Dana"],
    ["/", "/sign-in"],
    ["/sign-in?next=/audit", "/sign-in"],
    ["//evil.example", "/sign-in"],
    [null, "/sign-in"],
  ])("%j → %j", (requested, expected) => {
    expect(signInUrl(requested)).toBe(expected);
  });
});
