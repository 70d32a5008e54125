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
  ["::", 96], // IPv4-compatible (deprecated, RFC 4291), with :: and ::1: ::7f00:1 is ::127.0.0.1
  ["::ffff:0:0:0", 96], // IPv4-translated (SIIT, RFC 2765): ::ffff:0:7f00:1
  ["fc00::", 7], // unique local, AWS metadata fd00:ec2::254
  ["fe80::", 10], // link-local
  ["ff00::", 8], // multicast
  ["64:ff9b::", 96], // NAT64 of any IPv4 address
  ["64:ff9b:1::", 48], // local-use NAT64 (RFC 8215)
  ["2001::", 32], // Teredo: a tunnelled client behind a NAT, its IPv4 address obfuscated inside
  ["2001:db8::", 32], // documentation
] as const)
  FORBIDDEN.addSubnet(network, prefix, "ipv6");

/** The eight 16-bit groups of an IPv6 address in any spelling (::, a trailing dotted IPv4); null when it is not one. */
function ipv6Groups(address: string): number[] | null {
  if (isIP(address) !== 6) return null;
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const part = (side: string) => (side ? side.split(":").map((group) => parseInt(group, 16)) : []);
  const [head = "", tail] = text.split("::");
  if (tail === undefined) return part(head);
  const [front, back] = [part(head), part(tail)];
  return [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
}

const ipv4Of = (high: number, low: number) => [high >> 8, high & 255, low >> 8, low & 255].join(".");

/**
 * The IPv4 address an IPv6 address delivers to, where that is its meaning:
 * IPv4-mapped (::ffff:a.b.c.d, which a socket connects to over IPv4) and
 * 6to4 (2002:aabb:ccdd::/48, routed through a tunnel to aa.bb.cc.dd); null
 * for any other. The other forms that embed an IPv4 address (IPv4-compatible,
 * IPv4-translated, NAT64, Teredo) are refused whole above.
 */
export function embeddedIPv4(address: string): string | null {
  const groups = ipv6Groups(address.replace(/^\[|\]$/g, ""));
  if (!groups) return null;
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) return ipv4Of(groups[6]!, groups[7]!);
  if (groups[0] === 0x2002) return ipv4Of(groups[1]!, groups[2]!);
  return null;
}

export function isPublicAddress(address: string): boolean {
  const plain = address.replace(/^\[|\]$/g, "");
  const family = isIP(plain);
  if (family === 0) return false;
  if (family === 4) return !FORBIDDEN.check(plain, "ipv4");
  const ipv4 = embeddedIPv4(plain);
  return ipv4 === null ? !FORBIDDEN.check(plain, "ipv6") : isPublicAddress(ipv4);
}

export function isLoopbackAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "");
  // IPv4-mapped only: a 6to4 address of 127.0.0.1 goes through a tunnel, not to this machine.
  const plain = bare.toLowerCase().startsWith("::ffff:") ? (embeddedIPv4(bare) ?? bare) : bare;
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
