import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

// A real webhook receiver on 127.0.0.1 (port 0) for the tests and the
// browser specs: it keeps every request it gets and checks each one's
// signature with the standardwebhooks package, an implementation we did not
// write, against the secrets the test tells it to trust.

export type ReceivedRequest = {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Which of the trusted secrets verified the request (standardwebhooks: id, timestamp, body, any one signature). */
  verifiedBy: string[];
};

export type Answer = { status: number; body?: string };

export interface VerifyingReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** Replaces the secrets requests are verified against. */
  trust(...secrets: string[]): void;
  /** What the next requests are answered (default 200 with a reference). */
  answer(next: Answer | ((request: ReceivedRequest) => Answer)): void;
  close(): Promise<void>;
}

/** Whether `secret` verifies the request, by the standardwebhooks package. */
export function verifiesWith(secret: string, request: Pick<ReceivedRequest, "headers" | "body">): boolean {
  try {
    new Webhook(secret).verify(request.body, request.headers as Record<string, string>);
    return true;
  } catch {
    return false;
  }
}

export async function startVerifyingReceiver(path = "/hook"): Promise<VerifyingReceiver> {
  const requests: ReceivedRequest[] = [];
  let secrets: string[] = [];
  let respond: (request: ReceivedRequest) => Answer = () => ({ status: 200, body: JSON.stringify({ id: `rcv_${requests.length}` }) });

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const received: ReceivedRequest = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        verifiedBy: [],
      };
      received.verifiedBy = secrets.filter((s) => verifiesWith(s, received));
      requests.push(received);
      const { status, body = "" } = respond(received);
      res.writeHead(status, { "content-type": "application/json" });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}${path}`,
    requests,
    trust: (...trusted) => {
      secrets = trusted;
    },
    answer: (next) => {
      respond = typeof next === "function" ? next : () => next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
