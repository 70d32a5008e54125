import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { addressProblem, endpointUrlProblem, type EndpointPolicy } from "./endpoint-policy.ts";
import { receiverReference } from "./envelope.ts";
import { REQUEST_TIMEOUT_MS, type AttemptResult } from "./schedule.ts";

// One signed POST to an integration's endpoint: no redirects followed, a time
// limit on the whole exchange, and the address DNS gives checked at connect
// time (so a name that changes to a private address after it was saved is
// still refused), by node:http's own `lookup` hook: the address checked is
// the address connected to.

/** How much of an answer's body is read, for the receiver's reference and the error text. */
const MAX_ANSWER_BYTES = 16 * 1024;

export interface SentAttempt {
  result: AttemptResult;
  latencyMs: number;
  /** The receiver's reference from a 2xx body, if it named one. */
  receiverRef: string | null;
}

class RefusedAddress extends Error {}

function guardedLookup(policy: EndpointPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...(options as LookupOptions), all: true }, (error, addresses) => {
      if (error) return callback(error, "", 0);
      const list = addresses as LookupAddress[];
      const refused = list.map((a) => addressProblem(a.address, policy)).find((p) => p !== null);
      if (refused || list.length === 0) return callback(new RefusedAddress(`The endpoint ${refused ?? "resolves to no address"}.`), "", 0);
      if ((options as LookupOptions).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

function describeError(error: unknown): string {
  if (error instanceof RefusedAddress) return error.message;
  const code = (error as { code?: string }).code;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "The endpoint's host name does not resolve.";
  if (code === "ECONNREFUSED") return "The endpoint refused the connection.";
  if (code === "ECONNRESET") return "The endpoint closed the connection.";
  if (code === "CERT_HAS_EXPIRED" || code?.startsWith("ERR_TLS") || code?.includes("CERT")) return `TLS failed (${code}).`;
  return `The request failed${code ? ` (${code})` : ""}.`;
}

export async function sendSigned(
  endpoint: string,
  headers: Record<string, string>,
  body: string,
  policy: EndpointPolicy,
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<SentAttempt> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return { result: { status: null, error: "The endpoint is not a URL." }, latencyMs: 0, receiverRef: null };
  }
  // node:net connects to an IP literal without calling `lookup`, so the guard
  // below never sees https://10.0.0.1/ or https://[::1]/: check it here.
  const literal = url.hostname.replace(/^\[|\]$/g, "");
  const problem = endpointUrlProblem(url, policy) ?? (isIP(literal) ? addressProblem(literal, policy) : null);
  if (problem) return { result: { status: null, error: `The endpoint ${problem}.` }, latencyMs: 0, receiverRef: null };

  return new Promise<SentAttempt>((resolve) => {
    let settled = false;
    const finish = (attempt: SentAttempt) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(attempt);
    };
    const request = (url.protocol === "https:" ? httpsRequest : httpRequest)(
      url,
      {
        method: "POST",
        lookup: guardedLookup(policy),
        headers: {
          ...headers,
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(body)),
          "user-agent": "ConsentDesk-Webhooks/1",
        },
      },
      (answer: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        answer.on("data", (chunk: Buffer) => {
          if (size < MAX_ANSWER_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        // An answer cut off before its end (the receiver closed the connection) ends the attempt now, rather
        // than holding its slot until the time limit. Judged on "close" by whether the whole answer arrived:
        // an "error" can follow a complete answer (a keep-alive socket the receiver closes), whose "end" still comes.
        answer.on("error", () => {});
        answer.on("close", () => {
          if (!answer.complete)
            finish({ result: { status: null, error: describeError({ code: "ECONNRESET" }) }, latencyMs: elapsed(), receiverRef: null });
        });
        answer.on("end", () => {
          const status = answer.statusCode ?? 0;
          const text = Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES).toString("utf8");
          const retryAfter = answer.headers["retry-after"];
          finish({
            result: { status, retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : (retryAfter ?? null) },
            latencyMs: elapsed(),
            receiverRef: status >= 200 && status < 300 ? receiverReference(text) : null,
          });
        });
      },
    );
    // The whole exchange, connect to last byte, within the limit.
    const timer = setTimeout(() => {
      request.destroy();
      finish({ result: { status: null, error: `No answer within ${timeoutMs / 1000} s.` }, latencyMs: elapsed(), receiverRef: null });
    }, timeoutMs);
    request.on("error", (error) =>
      finish({ result: { status: null, error: describeError(error) }, latencyMs: elapsed(), receiverRef: null }),
    );
    request.end(body);
  });
}
