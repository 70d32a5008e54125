import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo, Socket } from "node:net";

// A real HTTP receiver on 127.0.0.1 (port 0) for the delivery tests: it
// records every request and answers what the test's handler says, so a test
// can be a receiver that is down, slow, gone or redirecting.

export interface ReceivedRequest {
  /** 1-based, in arrival order. */
  n: number;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  webhookId: string;
  /** performance.now() when the body had arrived, and when the answer was sent (NaN until then). */
  receivedAt: number;
  answeredAt: number;
}

export interface Answer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Never answer (until the receiver closes). */
  hang?: boolean;
  /** Send the status and headers, then never finish the answer (until the receiver closes). */
  hangAfterHeaders?: boolean;
}

export type Handler = (request: ReceivedRequest) => Answer | Promise<Answer>;

export interface WebhookReceiver {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  /** TCP connections accepted, whether or not a request followed. */
  connections: number;
  /** The most requests with one webhook-id in progress at the same time (1: never two at once). */
  maxConcurrentPerId: number;
  handler: Handler;
  close(): Promise<void>;
}

export async function startWebhookReceiver(handler: Handler = () => ({ status: 200, body: "{}" })): Promise<WebhookReceiver> {
  const sockets = new Set<Socket>();
  const inProgress = new Map<string, number>();
  const receiver: WebhookReceiver = {
    url: "",
    port: 0,
    requests: [],
    connections: 0,
    maxConcurrentPerId: 0,
    handler,
    close: async () => {},
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const webhookId = String(request.headers["webhook-id"] ?? "");
      const active = (inProgress.get(webhookId) ?? 0) + 1;
      inProgress.set(webhookId, active);
      receiver.maxConcurrentPerId = Math.max(receiver.maxConcurrentPerId, active);
      const received: ReceivedRequest = {
        n: receiver.requests.length + 1,
        path: request.url ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        webhookId,
        receivedAt: performance.now(),
        answeredAt: Number.NaN,
      };
      receiver.requests.push(received);
      void Promise.resolve(receiver.handler(received)).then(async (answer) => {
        if (answer.hang) return;
        if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
        if (answer.hangAfterHeaders) {
          response.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
          response.flushHeaders();
          return;
        }
        inProgress.set(webhookId, (inProgress.get(webhookId) ?? 1) - 1);
        received.answeredAt = performance.now();
        response.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
        response.end(answer.body ?? "");
      });
    });
  });
  server.on("connection", (socket) => {
    receiver.connections += 1;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  receiver.port = port;
  receiver.url = `http://127.0.0.1:${port}`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return receiver;
}

/** Polls `condition` until it holds, failing after `timeoutMs`: a wait on what the test needs, never a fixed sleep. */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  { timeoutMs = 10_000, intervalMs = 20, what = "the condition" }: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<NonNullable<T>> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value as NonNullable<T>;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
