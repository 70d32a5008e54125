import { createServer as createHttpServer } from "node:http";
import { createServer, type Server } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendSigned } from "../send.ts";

// The sender's address guard against a real socket on 127.0.0.1: a refused
// endpoint must be refused before any connection, whichever way its address
// is written.

let server: Server;
let port = 0;
let connections = 0;

beforeAll(async () => {
  server = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const refuse = { allowPrivate: false };

describe("sendSigned refuses private addresses before connecting", () => {
  it.each([
    ["an IPv4 literal", () => `https://127.0.0.1:${port}/`, "127.0.0.1"],
    ["an IPv6 literal", () => `https://[::1]:${port}/`, "::1"],
    ["an IPv4-mapped IPv6 literal", () => `https://[::ffff:127.0.0.1]:${port}/`, "::ffff:7f00:1"],
    ["the metadata address", () => "https://169.254.169.254/latest/meta-data/", "169.254.169.254"],
    ["a private network", () => "https://10.1.2.3/", "10.1.2.3"],
    ["an IPv4-compatible IPv6 literal", () => `https://[::127.0.0.1]:${port}/`, "::7f00:1"],
    ["an IPv4-translated IPv6 literal", () => `https://[::ffff:0:7f00:1]:${port}/`, "::ffff:0:7f00:1"],
    ["a 6to4 literal of loopback", () => `https://[2002:7f00:1::1]:${port}/`, "2002:7f00:1::1"],
  ])("%s", async (_name, endpoint, address) => {
    const before = connections;
    const sent = await sendSigned(endpoint(), {}, "{}", refuse, 1_000);
    expect(sent.result).toEqual({
      status: null,
      error: `The endpoint resolves to ${address}, a private, loopback, link-local or metadata address.`,
    });
    expect(connections).toBe(before);
  });

  it("a host name that resolves to loopback, at connect time", async () => {
    const before = connections;
    const sent = await sendSigned(`https://localhost:${port}/`, {}, "{}", refuse, 1_000);
    expect(sent.result.status).toBeNull();
    expect(sent.result.status === null && sent.result.error).toMatch(/^The endpoint resolves to (127\.0\.0\.1|::1), a private/);
    expect(connections).toBe(before);
  });

  it("plain http at all", async () => {
    const sent = await sendSigned(`http://127.0.0.1:${port}/`, {}, "{}", refuse, 1_000);
    expect(sent.result).toEqual({ status: null, error: "The endpoint must be an https:// URL." });
  });
});

describe("sendSigned and an answer cut off", () => {
  it("ends the attempt when the receiver closes the connection after its headers, not at the time limit", async () => {
    const cutting = createHttpServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.flushHeaders();
      setTimeout(() => response.socket?.destroy(), 50);
    });
    await new Promise<void>((resolve) => cutting.listen(0, "127.0.0.1", resolve));
    try {
      const { port: cuttingPort } = cutting.address() as AddressInfo;
      const sent = await sendSigned(`http://127.0.0.1:${cuttingPort}/`, {}, "{}", { allowPrivate: true }, 10_000);
      expect(sent.result).toEqual({ status: null, error: "The endpoint closed the connection." });
      expect(sent.latencyMs).toBeLessThan(5_000);
    } finally {
      await new Promise<void>((resolve) => cutting.close(() => resolve()));
    }
  });
});
