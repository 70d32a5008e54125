import { describe, expect, it } from "vitest";
import { credentialAttempt, keepsReservation, lockoutFor, signInCounters, SIGN_IN_LIMITS } from "../sign-in-limits.ts";

describe("signInCounters", () => {
  it("reserves the account ceiling, the account + client limit and the client limit, in key order", () => {
    const counters = signInCounters("ana@example.com", "203.0.113.9");
    expect(counters).toEqual([
      { key: "account:ana@example.com", scope: "account", max: SIGN_IN_LIMITS.account },
      { key: "account_client:ana@example.com 203.0.113.9", scope: "account_client", max: SIGN_IN_LIMITS.account_client },
      { key: "client:203.0.113.9", scope: "client", max: SIGN_IN_LIMITS.client },
    ]);
    expect(counters.map((c) => c.key)).toEqual([...counters.map((c) => c.key)].sort());
  });

  it("puts callers with no known address in one shared bucket, not in none", () => {
    expect(signInCounters("a@example.com", null).map((c) => c.key)).toContain("client:unknown");
  });

  it("keeps the tight limit below the ceilings", () => {
    expect(SIGN_IN_LIMITS.account_client).toBe(5);
    expect(SIGN_IN_LIMITS.account).toBeGreaterThan(SIGN_IN_LIMITS.account_client);
  });
});

describe("lockoutFor", () => {
  it.each([
    [[], null],
    [["account"], "account"],
    [["account_client"], "account"],
    [["client"], "ip"],
    [["client", "account_client"], "account"],
  ] as const)("%j → %s", (refused, reason) => {
    expect(lockoutFor(refused)?.reason ?? null).toBe(reason);
  });
});

describe("credentialAttempt", () => {
  it.each([
    [{ email: " Ana@Example.com ", password: "x" }, { email: "ana@example.com" }],
    [{ email: "not-an-email", password: "" }, { email: "not-an-email" }],
    [{ email: "a@example.com" }, null],
    [{ email: 7, password: "x" }, null],
    [null, null],
    ["a@example.com", null],
  ])("%j → %j", (body, expected) => {
    expect(credentialAttempt(body)).toEqual(expected);
  });
});

describe("keepsReservation", () => {
  it.each([
    [401, true],
    [null, false],
    [400, false],
    [403, false],
    [429, false],
    [500, false],
  ])("%s → %s", (status, kept) => {
    expect(keepsReservation(status)).toBe(kept);
  });
});
