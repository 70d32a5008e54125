import { isIP } from "node:net";

// Where a request came from. `next start` gives route handlers and server
// actions no socket address, and fills `x-forwarded-for` from the socket only
// when the client sent none (node_modules/next/dist/server/base-server.js:
// `req.headers['x-forwarded-for'] ??= socket.remoteAddress`), so the header
// alone is whatever a client wrote. lib/auth/socket-address.ts, installed by
// instrumentation.ts, stamps every incoming request with its socket address
// in SOCKET_ADDRESS_HEADER (overwriting anything sent); the header is read
// only when that stamping is installed in this process.

export const SOCKET_ADDRESS_HEADER = "x-consent-desk-socket-address";
/** The resolved address, as handed to better-auth (its rate limiter and session rows read it). */
export const CLIENT_IP_HEADER = "x-consent-desk-client-ip";
export const SOCKET_STAMP = Symbol.for("consent-desk.socket-address-stamp");

/** TRUST_PROXY: how many proxies in front of the app to believe, or which addresses they have. */
export type TrustProxy = { hops: number } | { addresses: ReadonlySet<string> };

export function parseTrustProxy(value: string | undefined): TrustProxy {
  const text = value?.trim() ?? "";
  if (text === "") return { hops: 0 };
  if (/^\d+$/.test(text)) return { hops: Number(text) };
  const addresses = text.split(",").map((a) => normalizeAddress(a.trim()));
  if (addresses.some((a) => a === null)) throw new Error(`TRUST_PROXY: "${text}" is neither a number of hops nor a list of IP addresses`);
  return { addresses: new Set(addresses as string[]) };
}

/** An IP address in one spelling (IPv4-mapped IPv6 as IPv4), or null for anything else. */
export function normalizeAddress(value: string): string | null {
  const address = value.toLowerCase().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
  return isIP(address) ? address : null;
}

/**
 * The client's address: the socket's, unless the socket is a trusted proxy;
 * then X-Forwarded-For is read from the right, past every trusted hop. An
 * entry that is not an IP address stops the walk at the hop that passed it on.
 * `socket` null: not known (no stamping in this process), counted as one hop.
 */
export function resolveClientIp(input: { socket: string | null; forwardedFor: string | null; trust: TrustProxy }): string | null {
  const forwarded = (input.forwardedFor ?? "")
    .split(",")
    .map((a) => a.trim())
    .filter(Boolean);
  const chain: (string | null)[] = [...forwarded.map(normalizeAddress), input.socket === null ? null : normalizeAddress(input.socket)];
  const trusted = (address: string | null, position: number) =>
    "hops" in input.trust ? position < input.trust.hops : address !== null && input.trust.addresses.has(address);
  let client = chain.at(-1) ?? null;
  for (let position = 0; position < chain.length; position++) {
    const address = chain[chain.length - 1 - position]!;
    if (position > 0 && address === null) break;
    client = address;
    if (!trusted(address, position)) break;
  }
  return client;
}

/** The caller's address from request headers, as TRUST_PROXY says to read them. */
export function clientIp(headers: Headers | null | undefined): string | null {
  const stamped = (globalThis as Record<symbol, unknown>)[SOCKET_STAMP] === true;
  return resolveClientIp({
    socket: stamped ? (headers?.get(SOCKET_ADDRESS_HEADER) ?? null) : null,
    forwardedFor: headers?.get("x-forwarded-for") ?? null,
    trust: parseTrustProxy(process.env.TRUST_PROXY),
  });
}

/**
 * True when the request came through a proxy TRUST_PROXY names, so what that
 * proxy says in X-Forwarded-Host and X-Forwarded-Proto is believed: one hop or
 * more, or the socket's address in the list. Never without TRUST_PROXY.
 */
export function fromTrustedProxy(headers: Headers, trust: TrustProxy = parseTrustProxy(process.env.TRUST_PROXY)): boolean {
  if ("hops" in trust) return trust.hops > 0;
  const stamped = (globalThis as Record<symbol, unknown>)[SOCKET_STAMP] === true;
  const socket = stamped ? normalizeAddress(headers.get(SOCKET_ADDRESS_HEADER) ?? "") : null;
  return socket !== null && trust.addresses.has(socket);
}

/** Request headers for better-auth, carrying the resolved address in the one header it is told to read. */
export function withClientIp(headers: Headers): Headers {
  const copy = new Headers(headers);
  copy.delete(CLIENT_IP_HEADER);
  const ip = clientIp(headers);
  if (ip) copy.set(CLIENT_IP_HEADER, ip);
  return copy;
}
