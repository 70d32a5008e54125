import { BlockList, isIP } from "node:net";

// Which endpoints an integration may be sent to (issue 10, item 1). An
// endpoint is https; plain http only to a loopback address, and only with
// INTEGRATIONS_ALLOW_PRIVATE=1, which also lets private, loopback and
// link-local addresses through (the demo, the tests, a local receiver; never
// in production). Checked when an integration is saved and again at every
// connection, on the address DNS gave (lib/delivery/send.ts), since DNS can
// change in between. Pure.

/** Addresses no integration is sent to: private, loopback, link-local, metadata, and the rest that route nowhere public. */
const FORBIDDEN = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], // "this" network
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata (169.254.169.254)
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const)
  FORBIDDEN.addSubnet(network, prefix, "ipv4");
for (const [network, prefix] of [
  ["::", 128], // unspecified
  ["::1", 128],
  ["fc00::", 7], // unique local, AWS metadata fd00:ec2::254
  ["fe80::", 10], // link-local
  ["ff00::", 8], // multicast
  ["64:ff9b::", 96], // NAT64 of any IPv4 address
  ["2001:db8::", 32], // documentation
] as const)
  FORBIDDEN.addSubnet(network, prefix, "ipv6");

/** An IPv4-mapped IPv6 address (::ffff:10.0.0.1) as the IPv4 address it is. */
function unmapped(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

export function isPublicAddress(address: string): boolean {
  const plain = unmapped(address.replace(/^\[|\]$/g, ""));
  const family = isIP(plain);
  if (family === 0) return false;
  return !FORBIDDEN.check(plain, family === 4 ? "ipv4" : "ipv6");
}

export function isLoopbackAddress(address: string): boolean {
  const plain = unmapped(address.replace(/^\[|\]$/g, ""));
  return plain === "::1" || (isIP(plain) === 4 && plain.startsWith("127."));
}

export interface EndpointPolicy {
  /** INTEGRATIONS_ALLOW_PRIVATE=1. */
  allowPrivate: boolean;
}

export function endpointPolicyFromEnv(env: Record<string, string | undefined> = process.env): EndpointPolicy {
  return { allowPrivate: env.INTEGRATIONS_ALLOW_PRIVATE === "1" };
}

/** Why `url` may not be an endpoint, in words for the form's field; null when it may (its addresses are checked separately). */
export function endpointUrlProblem(url: URL, policy: EndpointPolicy): string | null {
  if (url.username || url.password) return "must not carry a user name or password";
  if (url.hash) return "must not have a #fragment";
  if (url.protocol === "https:") return null;
  if (url.protocol !== "http:") return "must be an https:// URL";
  if (!policy.allowPrivate) return "must be an https:// URL";
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || isLoopbackAddress(host) ? null : "must be https://, or http:// only to a loopback address";
}

/** Why an address DNS gave for an endpoint may not be connected to; null when it may. */
export function addressProblem(address: string, policy: EndpointPolicy): string | null {
  if (policy.allowPrivate || isPublicAddress(address)) return null;
  return `resolves to ${address}, a private, loopback, link-local or metadata address`;
}
