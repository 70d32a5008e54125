import { describe, expect, it } from "vitest";
import { parseTrustProxy, resolveClientIp } from "../client-ip.ts";

describe("parseTrustProxy", () => {
  it.each([
    [undefined, { hops: 0 }],
    ["", { hops: 0 }],
    ["0", { hops: 0 }],
    ["2", { hops: 2 }],
    ["10.0.0.1, ::ffff:10.0.0.2", { addresses: new Set(["10.0.0.1", "10.0.0.2"]) }],
  ])("%j → %j", (value, expected) => {
    expect(parseTrustProxy(value)).toEqual(expected);
  });

  it.each(["yes", "10.0.0.0/8", "1.2.3.4, nonsense"])("refuses %j", (value) => {
    expect(() => parseTrustProxy(value)).toThrow(/TRUST_PROXY/);
  });
});

describe("resolveClientIp", () => {
  const none = parseTrustProxy(undefined);
  const oneHop = parseTrustProxy("1");
  const twoHops = parseTrustProxy("2");
  const proxies = parseTrustProxy("10.0.0.1,10.0.0.2");
  it.each([
    // No TRUST_PROXY: the socket, whatever the header says.
    ["no trust: socket", "192.0.2.9", "=7+7", none, "192.0.2.9"],
    ["no trust: spoofed address ignored", "192.0.2.9", "203.0.113.5", none, "192.0.2.9"],
    ["no trust, no socket known", null, "203.0.113.5", none, null],
    ["IPv4-mapped socket", "::ffff:127.0.0.1", null, none, "127.0.0.1"],
    // Hops: read from the right, past the trusted ones.
    ["one hop", "10.0.0.1", "203.0.113.5", oneHop, "203.0.113.5"],
    ["one hop, client prepended a fake", "10.0.0.1", "1.1.1.1, 203.0.113.5", oneHop, "203.0.113.5"],
    ["two hops", "10.0.0.1", "1.1.1.1, 203.0.113.5, 10.0.0.2", twoHops, "203.0.113.5"],
    ["more hops than entries: leftmost", "10.0.0.1", "203.0.113.5", twoHops, "203.0.113.5"],
    ["one hop, no header: the proxy", "10.0.0.1", null, oneHop, "10.0.0.1"],
    ["one hop, garbage entry: the hop that passed it", "10.0.0.1", "=7+7", oneHop, "10.0.0.1"],
    ["one hop, socket unknown", null, "203.0.113.5", oneHop, "203.0.113.5"],
    // Addresses: skip only the proxies named.
    ["listed proxy", "10.0.0.1", "1.1.1.1, 203.0.113.5, 10.0.0.2", proxies, "203.0.113.5"],
    ["socket not a listed proxy", "192.0.2.9", "203.0.113.5", proxies, "192.0.2.9"],
    ["all listed: leftmost", "10.0.0.1", "10.0.0.2", proxies, "10.0.0.2"],
  ] as const)("%s", (_name, socket, forwardedFor, trust, expected) => {
    expect(resolveClientIp({ socket, forwardedFor, trust })).toBe(expected);
  });
});
