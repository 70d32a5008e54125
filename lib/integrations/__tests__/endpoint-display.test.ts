import { describe, expect, it } from "vitest";
import { ROLES } from "../../auth/permissions.ts";
import { endpointShownTo, maskedEndpoint, seesFullEndpoint } from "../endpoint-display.ts";

describe("an endpoint with its query values masked", () => {
  it.each([
    ["https://hooks.example.com/x?token=SECRET", "https://hooks.example.com/x?token=…"],
    ["https://hooks.example.com/x?token=SECRET&region=eu", "https://hooks.example.com/x?token=…&region=…"],
    ["https://hooks.example.com/x?SECRET", "https://hooks.example.com/x?…"],
    ["https://hooks.example.com/x?a=1&&b", "https://hooks.example.com/x?a=…&&…"],
    ["https://hooks.example.com/x?token=", "https://hooks.example.com/x?token=…"],
    ["https://hooks.example.com/x?t=a%3Db%26c", "https://hooks.example.com/x?t=…"],
    ["https://hooks.example.com/x?", "https://hooks.example.com/x?"],
    ["https://hooks.example.com:8443/a/b", "https://hooks.example.com:8443/a/b"],
    ["not a url?key=SECRET", "not a url?key=…"],
  ])("%s → %s", (endpoint, shown) => {
    expect(maskedEndpoint(endpoint)).toBe(shown);
  });
});

describe("who sees an endpoint whole", () => {
  it.each([
    ["admin", true],
    ["privacy_officer", false],
    ["auditor", false],
    ["marketer", false],
  ] as const)("%s: %s", (role, whole) => {
    expect(seesFullEndpoint(role)).toBe(whole);
    const endpoint = "https://hooks.example.com/x?token=SECRET";
    expect(endpointShownTo(role, endpoint)).toBe(whole ? endpoint : "https://hooks.example.com/x?token=…");
  });

  it("covers every role", () => {
    expect(ROLES.filter(seesFullEndpoint)).toEqual(["admin"]);
  });
});
