import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, createNonce } from "./csp.ts";

const directives = (policy: string) => new Map(policy.split("; ").map((d) => [d.split(" ")[0]!, d.split(" ").slice(1)]));

describe("contentSecurityPolicy", () => {
  it.each([
    [{ dev: false }, ["'self'", "'nonce-abc'", "'strict-dynamic'"]],
    [{ dev: true }, ["'self'", "'nonce-abc'", "'strict-dynamic'", "'unsafe-eval'"]],
  ])("scripts need the nonce, never 'unsafe-inline' (%j)", (options, scriptSrc) => {
    const policy = directives(contentSecurityPolicy("abc", options));
    expect(policy.get("script-src")).toEqual(scriptSrc);
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
  });

  it("makes a different nonce each time", () => {
    const nonces = new Set(Array.from({ length: 100 }, createNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});
