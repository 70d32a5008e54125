import "server-only";
import { lookup } from "node:dns/promises";
import { addressProblem, endpointPolicyFromEnv, type EndpointPolicy } from "../delivery/endpoint-policy.ts";

// The endpoint's host, resolved when an integration is saved: every address
// DNS gives must be one an integration may be sent to (issue 10, item 1).
// lib/delivery/send.ts checks the address again at every connection, since
// DNS can change after the save.

/** Every address a host name resolves to (node:dns lookup, `all`), as the sender will see them. */
export type Resolver = (hostname: string) => Promise<string[]>;

export const systemResolver: Resolver = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

/** How long a save waits for DNS before calling the host unresolvable. */
const RESOLVE_TIMEOUT_MS = 5_000;

export interface EndpointCheckOptions {
  /** Defaults to node:dns; tests pass one that answers what they need. */
  resolve?: Resolver;
  /** Defaults to the environment (INTEGRATIONS_ALLOW_PRIVATE). */
  policy?: EndpointPolicy;
}

/** Why the endpoint (already a valid URL by its form) may not be saved, for the endpoint_url field; null when it may. */
export async function endpointAddressProblem(endpoint: string, options: EndpointCheckOptions = {}): Promise<string | null> {
  const policy = options.policy ?? endpointPolicyFromEnv();
  const host = new URL(endpoint).hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  let timer: NodeJS.Timeout | undefined;
  try {
    addresses = await Promise.race([
      (options.resolve ?? systemResolver)(host),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("timeout")), RESOLVE_TIMEOUT_MS);
      }),
    ]);
  } catch {
    return `The host ${host} does not resolve; check the name`;
  } finally {
    clearTimeout(timer);
  }
  if (addresses.length === 0) return `The host ${host} resolves to no address`;
  for (const address of addresses) {
    const problem = addressProblem(address, policy);
    if (problem) return `The host ${host} ${problem}; endpoints must be public`;
  }
  return null;
}
