import { describe, expect, it } from "vitest";
import { addressProblem, embeddedIPv4, endpointUrlProblem, isLoopbackAddress, isPublicAddress } from "../endpoint-policy.ts";

const strict = { allowPrivate: false };
const allowing = { allowPrivate: true };

describe("which addresses an integration may be sent to", () => {
  it.each([
    ["93.184.215.14", true],
    ["2606:4700::6810:84e5", true],
    ["8.8.8.8", true],
    ["127.0.0.1", false],
    ["127.8.9.10", false],
    ["::1", false],
    ["10.1.2.3", false],
    ["172.16.0.1", false],
    ["172.31.255.255", false],
    ["172.32.0.1", true],
    ["192.168.1.1", false],
    ["169.254.169.254", false], // cloud metadata
    ["169.254.1.1", false],
    ["fd00:ec2::254", false], // AWS metadata over IPv6
    ["fe80::1", false],
    ["fc00::1", false],
    ["0.0.0.0", false],
    ["100.64.0.1", false],
    ["::ffff:10.0.0.1", false], // IPv4-mapped
    ["::ffff:127.0.0.1", false],
    ["::ffff:8.8.8.8", true],
    ["::ffff:7f00:1", false], // the URL parser's spelling of [::ffff:127.0.0.1]
    ["::ffff:a9fe:a9fe", false], // 169.254.169.254
    ["::ffff:808:808", true],
    ["::", false],
    // Issue 16, item 7a: IPv6 forms that carry an IPv4 address.
    ["::7f00:1", false], // IPv4-compatible ::127.0.0.1, as the URL parser spells it
    ["::127.0.0.1", false],
    ["::a00:1", false], // ::10.0.0.1
    ["::808:808", false], // ::8.8.8.8: the whole deprecated range
    ["::ffff:0:7f00:1", false], // IPv4-translated 127.0.0.1
    ["::ffff:0:808:808", false], // IPv4-translated: the whole range
    ["2002:7f00:1::", false], // 6to4 of 127.0.0.1
    ["2002:a9fe:a9fe::1", false], // 6to4 of 169.254.169.254
    ["2002:c0a8:101:1::5", false], // 6to4 of 192.168.1.1
    ["2002:808:808::1", true], // 6to4 of 8.8.8.8
    ["64:ff9b::7f00:1", false], // NAT64
    ["64:ff9b:1::a00:1", false], // local-use NAT64
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2", false], // Teredo
    ["[::7f00:1]", false],
    ["224.0.0.1", false],
    ["255.255.255.255", false],
    ["not-an-address", false],
  ])("%s public: %s", (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });

  it.each([
    ["::ffff:127.0.0.1", "127.0.0.1"],
    ["::ffff:7f00:1", "127.0.0.1"],
    ["::FFFF:A9FE:A9FE", "169.254.169.254"],
    ["2002:7f00:1::", "127.0.0.1"],
    ["2002:c0a8:0101:0001::5", "192.168.1.1"],
    ["[2002:808:808::1]", "8.8.8.8"],
    ["::7f00:1", null], // refused whole, not by its IPv4 address
    ["::ffff:0:7f00:1", null],
    ["2606:4700::6810:84e5", null],
    ["8.8.8.8", null],
    ["nonsense", null],
  ])("%s stands for the IPv4 address %s", (address, ipv4) => {
    expect(embeddedIPv4(address)).toBe(ipv4);
  });

  it.each([
    ["::1", true],
    ["127.0.0.1", true],
    ["::ffff:127.0.0.1", true],
    ["::ffff:7f00:1", true],
    ["2002:7f00:1::", false],
    ["::7f00:1", false],
    ["10.0.0.1", false],
  ])("%s is this machine: %s", (address, loopback) => {
    expect(isLoopbackAddress(address)).toBe(loopback);
  });

  it("lets private addresses through only with INTEGRATIONS_ALLOW_PRIVATE", () => {
    expect(addressProblem("127.0.0.1", strict)).toMatch(/private, loopback, link-local or metadata/);
    expect(addressProblem("127.0.0.1", allowing)).toBeNull();
    expect(addressProblem("8.8.8.8", strict)).toBeNull();
  });
});

describe("which endpoint URLs are accepted", () => {
  it.each([
    ["https://hooks.example.com/consent", strict, null],
    ["http://hooks.example.com/consent", strict, "must be an https:// URL"],
    ["http://127.0.0.1:4010/hooks", strict, "must be an https:// URL"],
    ["http://127.0.0.1:4010/hooks", allowing, null],
    ["http://localhost:4010/hooks", allowing, null],
    ["http://[::1]:4010/hooks", allowing, null],
    ["http://hooks.example.com/consent", allowing, "must be https://, or http:// only to a loopback address"],
    ["ftp://hooks.example.com/", strict, "must be an https:// URL"],
    ["https://user:pw@hooks.example.com/", strict, "must not carry a user name or password"],
    ["https://hooks.example.com/#x", strict, "must not have a #fragment"],
  ] as const)("%s", (url, policy, problem) => {
    expect(endpointUrlProblem(new URL(url), policy)).toBe(problem);
  });
});
