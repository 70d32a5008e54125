import type { AddressInfo } from "node:net";
import { connect, type Socket } from "node:net";
import type { IncomingMessage, Server } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ACTION_BODY_LIMIT } from "../edge.ts";
import { createEdgeServer, LINGER_MS } from "../edge-server.ts";

// The edge server on a real socket, with short timeouts and a stand-in for
// Next.js that records what reached it: what the edge refuses never does,
// and a slow or vanishing client is cut off or forgotten without a trace.

const TIMEOUTS = { headersTimeout: 600, requestTimeout: 1_200, connectionsCheckingInterval: 100, keepAliveTimeout: 1_000 };
let server: Server;
let port: number;
let reached: Array<{ url: string; body: string }>;
const uncaught: unknown[] = [];
const onUncaught = (error: unknown) => uncaught.push(error);

/** Next.js's stand-in: reads the whole body and answers its length; asked to refuse, answers 401 without reading it, as a route does to an anonymous caller. */
async function handler(request: IncomingMessage, response: import("node:http").ServerResponse) {
  if (request.headers["x-refuse"]) {
    response.statusCode = 401;
    return void response.end("who?");
  }
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString("utf8");
  reached.push({ url: request.url ?? "", body });
  response.end(`read ${body.length}`);
}

beforeAll(async () => {
  process.on("uncaughtException", onUncaught);
  // A body cut off by the timeout ends the stand-in's read with an error, as it would a route's (lib/api/http.ts answers it).
  server = createEdgeServer((req, res) => void handler(req, res).catch(() => res.destroy()), { timeouts: TIMEOUTS });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  process.off("uncaughtException", onUncaught);
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  reached = [];
});

/** A raw connection: what it received, when it closed (ms after opening), and a way to write. */
function open(): { socket: Socket; received: () => string; closedAfter: Promise<number> } {
  const started = performance.now();
  const socket = connect(port, "127.0.0.1");
  let received = "";
  socket.on("data", (chunk) => (received += chunk.toString("utf8")));
  socket.on("error", () => {});
  const closedAfter = new Promise<number>((resolve) => socket.on("close", () => resolve(performance.now() - started)));
  return { socket, received: () => received, closedAfter };
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const until = async (check: () => boolean, ms = 2_000) => {
  for (const end = Date.now() + ms; !check() && Date.now() < end;) await sleep(10);
};

describe("the edge server", () => {
  it("answers a body declared over its path's limit at once, 413 in the API's envelope, with 3 bytes sent, and closes soon after", async () => {
    const client = open();
    const started = performance.now();
    client.socket.write(
      `POST /api/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${100 * 1024 * 1024}\r\n\r\n{"a`,
    );
    await until(() => client.received().includes("\r\n\r\n{"));
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(1_000);
    const [head, body] = client.received().split("\r\n\r\n") as [string, string];
    expect(head).toMatch(/^HTTP\/1.1 413/);
    expect(head.toLowerCase()).toContain("connection: close");
    expect(head.toLowerCase()).toContain("x-content-type-options: nosniff");
    expect(JSON.parse(body)).toMatchObject({ error: { code: "payload_too_large", fields: { body: expect.any(String) } } });
    // It closes once the client stops sending, or after a couple of seconds when it does not (here: never).
    expect(await client.closedAfter).toBeLessThan(LINGER_MS + 2_000);
    expect(reached).toEqual([]);
  });

  it("answers an API path that is not UTF-8 with 400 and keeps nothing open: a GET has no body to wait for", async () => {
    const client = open();
    client.socket.write("GET /api/customers/%FF HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(await client.closedAfter).toBeLessThan(500);
    expect(client.received()).toMatch(/^HTTP\/1.1 400/);
    expect(reached).toEqual([]);
  });

  it("hands a page's body to Next.js only once it is whole, however slowly it came", async () => {
    const client = open();
    client.socket.write("POST /customers HTTP/1.1\r\nHost: x\r\nNext-Action: abc\r\nContent-Length: 6\r\n\r\n");
    for (const part of ["ab", "cd", "ef"]) {
      await sleep(50);
      expect(reached).toEqual([]);
      client.socket.write(part);
    }
    await until(() => client.received().includes("read 6"));
    expect(reached).toEqual([{ url: "/customers", body: "abcdef" }]);
    client.socket.destroy();
  });

  it("refuses a chunked page body the moment it passes the limit, without waiting for the rest", async () => {
    const client = open();
    client.socket.write("POST /customers HTTP/1.1\r\nHost: x\r\nNext-Action: abc\r\nTransfer-Encoding: chunked\r\n\r\n");
    const chunk = 64 * 1024;
    for (let sent = 0; sent <= ACTION_BODY_LIMIT; sent += chunk) client.socket.write(`${chunk.toString(16)}\r\n${"x".repeat(chunk)}\r\n`);
    await until(() => client.received().includes("payload_too_large"));
    expect(client.received()).toMatch(/^HTTP\/1.1 413/);
    expect(reached).toEqual([]);
    client.socket.destroy();
  });

  it("forgets a page body its client abandons half-way: Next.js never sees it, nothing is thrown", async () => {
    const client = open();
    client.socket.write("POST /customers HTTP/1.1\r\nHost: x\r\nNext-Action: abc\r\nContent-Length: 1000\r\n\r\n[1,");
    await sleep(50);
    client.socket.destroy();
    await sleep(100);
    expect(reached).toEqual([]);
    expect(uncaught).toEqual([]);
  });

  it("passes an API request on unread, for the route to read after it knows the caller", async () => {
    const client = open();
    client.socket.write("POST /api/events HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n");
    await sleep(50);
    // The stand-in is already reading: the API's body was not held back.
    client.socket.write("{}");
    await until(() => client.received().includes("read 2"));
    expect(reached).toEqual([{ url: "/api/events", body: "{}" }]);
    client.socket.destroy();
  });

  it("closes a connection soon after an API route answers without reading a large or chunked body, reading no more of it", async () => {
    for (const framing of [`Content-Length: ${2 * 1024 * 1024}`, "Transfer-Encoding: chunked"]) {
      const client = open();
      client.socket.write(`POST /api/events HTTP/1.1\r\nHost: x\r\nX-Refuse: 1\r\n${framing}\r\n\r\n`);
      const timer = setInterval(() => client.socket.write(framing.startsWith("Transfer") ? "4\r\nxxxx\r\n" : "xxxx"), 20);
      const closed = await client.closedAfter;
      clearInterval(timer);
      expect(client.received()).toMatch(/^HTTP\/1.1 401/);
      expect(closed, framing).toBeLessThan(LINGER_MS + 2_000);
    }
  });

  it("keeps the connection when the unread body is small, for the client's next request", async () => {
    const client = open();
    client.socket.write("POST /api/events HTTP/1.1\r\nHost: x\r\nX-Refuse: 1\r\nContent-Length: 2\r\n\r\n");
    await until(() => client.received().includes("who?"));
    client.socket.write("{}");
    await sleep(1_500);
    client.socket.write("GET /api/events HTTP/1.1\r\nHost: x\r\nX-Refuse: 1\r\n\r\n");
    await until(() => client.received().split("HTTP/1.1 401").length === 3);
    expect(client.received().split("HTTP/1.1 401")).toHaveLength(3);
    client.socket.destroy();
  });

  it("cuts off a client that dribbles its headers, within the headers timeout and one check", async () => {
    const client = open();
    const timer = setInterval(() => client.socket.write("X-Slow: y\r\n"), 50);
    client.socket.write("GET /customers HTTP/1.1\r\nHost: x\r\n");
    const closed = await client.closedAfter;
    clearInterval(timer);
    expect(closed).toBeGreaterThanOrEqual(TIMEOUTS.headersTimeout - 50);
    expect(closed).toBeLessThan(TIMEOUTS.headersTimeout + 2 * TIMEOUTS.connectionsCheckingInterval + 1_000);
    expect(client.received()).toMatch(/^HTTP\/1.1 408/);
  });

  it("cuts off a client that dribbles its body, within the request timeout and one check", async () => {
    const client = open();
    client.socket.write("POST /api/events HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
    const timer = setInterval(() => client.socket.write("x"), 50);
    const closed = await client.closedAfter;
    clearInterval(timer);
    expect(closed).toBeGreaterThanOrEqual(TIMEOUTS.requestTimeout - 50);
    expect(closed).toBeLessThan(TIMEOUTS.requestTimeout + 2 * TIMEOUTS.connectionsCheckingInterval + 1_000);
    expect(uncaught).toEqual([]);
  });
});
