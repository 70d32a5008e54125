import { describe, expect, it } from "vitest";
import { confirmationMatches, confirmationPrompt } from "../confirmation.ts";

const ID = "00000000-0000-4000-8000-000000000004";
const both = { id: ID, email: "Dana.Okafor@example.com", externalId: "demo-Dana" };

describe("confirmationMatches", () => {
  it.each([
    [both, "dana.okafor@example.com", true],
    [both, "  DANA.OKAFOR@EXAMPLE.COM \n", true],
    [both, "demo-Dana", true],
    [both, " demo-Dana ", true],
    [both, "demo-dana", false], // an external id is exact
    [both, "dana.okafor@example.co", false],
    [both, "Dana Okafor", false],
    [both, ID, false], // the internal id only when there is nothing else
    [both, "", false],
    [both, "   ", false],
    [{ id: ID, email: null, externalId: "ext-1" }, "ext-1", true],
    [{ id: ID, email: null, externalId: "ext-1" }, "", false],
    [{ id: ID, email: "a@example.com", externalId: null }, "A@example.com", true],
    [{ id: ID, email: null, externalId: null }, ID.toUpperCase(), true],
    [{ id: ID, email: null, externalId: null }, "", false],
    [{ id: ID, email: "  ", externalId: null }, "  ", false],
  ])("%o with %j: %s", (target, typed, expected) => {
    expect(confirmationMatches(target, typed)).toBe(expected);
  });
});

describe("confirmationPrompt", () => {
  it("names what the customer has", () => {
    expect(confirmationPrompt(both)).toBe("the customer's email or external id");
    expect(confirmationPrompt({ id: ID, email: "a@example.com", externalId: null })).toBe("the customer's email");
    expect(confirmationPrompt({ id: ID, email: null, externalId: "x" })).toBe("the customer's external id");
    expect(confirmationPrompt({ id: ID, email: null, externalId: null })).toBe("the customer's internal id");
  });
});
