import { describe, expect, it } from "vitest";
import { addressProblem, endpointUrlProblem, isPublicAddress } from "../endpoint-policy.ts";

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
    ["224.0.0.1", false],
    ["255.255.255.255", false],
    ["not-an-address", false],
  ])("%s public: %s", (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
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
