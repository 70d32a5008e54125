import type { IncomingHttpHeaders } from "node:http";
import { Webhook } from "standardwebhooks";
import { startWebhookReceiver, type Answer, type ReceivedRequest } from "./webhook-receiver.ts";

// The test receiver (webhook-receiver.ts) that also checks each request's
// signature with the standardwebhooks package, an implementation we did not
// write, against the secrets the test tells it to trust: for the integration
// tests and the browser specs, which start it on 127.0.0.1 (port 0).

export type VerifiedRequest = ReceivedRequest & {
  /** Which of the trusted secrets verified the request (standardwebhooks: id, timestamp, body, any one signature). */
  verifiedBy: string[];
};

export interface VerifyingReceiver {
  url: string;
  requests: VerifiedRequest[];
  /** Replaces the secrets requests are verified against. */
  trust(...secrets: string[]): void;
  /** What the next requests are answered (default 200 with a reference). */
  answer(next: Answer | ((request: VerifiedRequest) => Answer)): void;
  close(): Promise<void>;
}

/** Whether `secret` verifies the request, by the standardwebhooks package. */
export function verifiesWith(secret: string, request: { headers: IncomingHttpHeaders; body: string }): boolean {
  try {
    new Webhook(secret).verify(request.body, request.headers as Record<string, string>);
    return true;
  } catch {
    return false;
  }
}

export async function startVerifyingReceiver(path = "/hook"): Promise<VerifyingReceiver> {
  let secrets: string[] = [];
  let respond: (request: VerifiedRequest) => Answer = (r) => ({ status: 200, body: JSON.stringify({ id: `rcv_${r.n}` }) });
  const receiver = await startWebhookReceiver((request) => {
    const verified = Object.assign(request, { verifiedBy: secrets.filter((s) => verifiesWith(s, request)) });
    return respond(verified);
  });
  return {
    url: `${receiver.url}${path}`,
    requests: receiver.requests as VerifiedRequest[],
    trust: (...trusted) => {
      secrets = trusted;
    },
    answer: (next) => {
      respond = typeof next === "function" ? next : () => next;
    },
    close: () => receiver.close(),
  };
}
