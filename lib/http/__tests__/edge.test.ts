import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { MAX_EXTENSION_BODY } from "../../api/deletion-requests.ts";
import { MAX_UPLOAD_JSON_BYTES } from "../../api/deletion-batches.ts";
import { MAX_CSV_BYTES } from "../../deletions/csv.ts";
import { MAX_INTEGRATION_BODY } from "../../integrations/api.ts";
import { MAX_BODY_BYTES } from "../../validations/events.ts";
import {
  ACTION_BODY_LIMIT,
  bodyLimitFor,
  DRAIN_LIMIT,
  drainsUnreadBody,
  EDGE_HEADERS,
  edgeReadsBody,
  pathOf,
  PROXY_BODY_BUFFER,
  refuseAtEdge,
  serverTimeouts,
} from "../edge.ts";

const KB = 1024;
const request = (url: string, headers: Record<string, string> = {}, method = "POST") => ({ method, url, headers });

describe("bodyLimitFor: the largest body each path takes", () => {
  it.each([
    ["/api/deletion-batches", MAX_UPLOAD_JSON_BYTES],
    ["/api/events", MAX_BODY_BYTES],
    ["/api/storefront/v1/customers/x/consent", 64 * KB],
    ["/api/auth/sign-in/email", 64 * KB],
    ["/api/deletion-batches/x/approve", 64 * KB],
    ["/customers", ACTION_BODY_LIMIT],
    ["/deletions/bulk", ACTION_BODY_LIMIT],
    ["/", ACTION_BODY_LIMIT],
  ])("%s: %d", (pathname, limit) => {
    expect(bodyLimitFor(pathname)).toBe(limit);
  });

  it("is at least what each route reads, so a body a route takes is never refused before it", () => {
    expect(bodyLimitFor("/api/deletion-batches")).toBeGreaterThanOrEqual(MAX_CSV_BYTES);
    for (const limit of [MAX_INTEGRATION_BODY, MAX_EXTENSION_BODY]) expect(bodyLimitFor("/api/integrations")).toBeGreaterThanOrEqual(limit);
  });

  it("reads the path as Next.js routes it: dot segments resolved, no query; only the exact upload path takes 5 MB", () => {
    expect(pathOf("/customers/../api/events?x=1")).toBe("/api/events");
    expect(bodyLimitFor(pathOf("/api/deletion-batches/"))).toBe(64 * KB);
    expect(bodyLimitFor(pathOf("/x/../api/deletion-batches?regime=gdpr"))).toBe(MAX_UPLOAD_JSON_BYTES);
    expect(bodyLimitFor(pathOf("/api/deletion-batches/../../customers"))).toBe(ACTION_BODY_LIMIT);
  });
});

describe("refuseAtEdge", () => {
  it.each([
    ["a page's action over the limit", request("/customers", { "content-length": String(ACTION_BODY_LIMIT + 1) }), 413],
    ["a page's action at the limit", request("/customers", { "content-length": String(ACTION_BODY_LIMIT) }), null],
    ["100 MB declared to a page, 3 bytes sent", request("/deletions/bulk", { "content-length": String(100 * 1024 * KB) }), 413],
    ["12 MB declared to an API route", request("/api/events", { "content-length": String(12 * 1024 * KB) }), 413],
    ["a GET declaring a body", request("/customers", { "content-length": String(ACTION_BODY_LIMIT + 1) }, "GET"), 413],
    ["a chunked body (counted by its reader)", request("/customers", { "transfer-encoding": "chunked" }), null],
    ["the CSV upload within its limit", request("/api/deletion-batches?regime=gdpr", { "content-length": String(MAX_CSV_BYTES) }), null],
    ["an API path that is not UTF-8", request("/api/storefront/v1/customers/%ED%A0%80/consent", {}, "GET"), 400],
    ["a page path that is not UTF-8 (proxy.ts answers it not found)", request("/customers/%FF", {}, "GET"), null],
  ] as const)("%s", (_name, input, status) => {
    expect(refuseAtEdge(input)?.status ?? null).toBe(status);
  });

  it("names the field it refuses, as the API's envelope does", () => {
    expect(refuseAtEdge(request("/api/events", { "content-length": "99999999" }))).toMatchObject({
      code: "payload_too_large",
      field: "body",
    });
    expect(refuseAtEdge(request("/api/%FF", {}, "GET"))).toMatchObject({ code: "invalid_path", field: "path" });
  });
});

describe("edgeReadsBody: a page's body is read whole first, an API route's never", () => {
  it.each([
    ["an action", request("/customers", { "content-length": "10" }), true],
    ["a chunked POST to a page", request("/sign-in", { "transfer-encoding": "chunked" }), true],
    ["a page POST with no body", request("/sign-in", { "content-length": "0" }), false],
    ["a GET", request("/customers", {}, "GET"), false],
    ["an API route", request("/api/events", { "content-length": "10" }), false],
    ["an API route, by a dotted path", request("/customers/../api/events", { "transfer-encoding": "chunked" }), false],
  ] as const)("%s", (_name, input, reads) => {
    expect(edgeReadsBody(input)).toBe(reads);
  });
});

describe("drainsUnreadBody: a body a route did not read keeps the connection only when small", () => {
  it.each([
    ["a small JSON body", { "content-length": "2" }, true],
    ["at the limit", { "content-length": String(DRAIN_LIMIT) }, true],
    ["12 MB", { "content-length": String(12 * 1024 * KB) }, false],
    ["chunked", { "transfer-encoding": "chunked" }, false],
  ] as const)("%s", (_name, headers, drains) => {
    expect(drainsUnreadBody(request("/api/events", headers))).toBe(drains);
  });
});

describe("serverTimeouts", () => {
  it("defaults well under Node's 300 s, checked every second", () => {
    expect(serverTimeouts({})).toEqual({
      headersTimeout: 15_000,
      requestTimeout: 60_000,
      connectionsCheckingInterval: 1_000,
      keepAliveTimeout: 5_000,
    });
  });

  it("takes each from the environment", () => {
    const env = {
      HTTP_HEADERS_TIMEOUT_MS: "3000",
      HTTP_REQUEST_TIMEOUT_MS: "8000",
      HTTP_TIMEOUT_CHECK_MS: "250",
      HTTP_KEEP_ALIVE_TIMEOUT_MS: "61000",
    };
    expect(serverTimeouts(env)).toEqual({
      headersTimeout: 3_000,
      requestTimeout: 8_000,
      connectionsCheckingInterval: 250,
      keepAliveTimeout: 61_000,
    });
  });

  it.each([
    [{ HTTP_REQUEST_TIMEOUT_MS: "60s" }, /HTTP_REQUEST_TIMEOUT_MS/],
    [{ HTTP_HEADERS_TIMEOUT_MS: "0" }, /HTTP_HEADERS_TIMEOUT_MS/],
    [{ HTTP_TIMEOUT_CHECK_MS: "-1" }, /HTTP_TIMEOUT_CHECK_MS/],
    [{ HTTP_HEADERS_TIMEOUT_MS: "20000", HTTP_REQUEST_TIMEOUT_MS: "10000" }, /must not exceed/],
  ])("refuses %j at start", (env, message) => {
    expect(() => serverTimeouts(env)).toThrow(message);
  });
});

describe("next.config.js agrees with the edge", () => {
  type Header = { key: string; value: string };
  const load = async () =>
    (
      (await import(pathToFileURL(path.resolve("next.config.js")).href)) as {
        default: {
          experimental: { serverActions: { bodySizeLimit: string }; proxyClientMaxBodySize: string };
          headers: () => Promise<Array<{ source: string; headers: Header[] }>>;
        };
      }
    ).default;
  const kb = (value: string) => Number(/^(\d+)kb$/.exec(value)?.[1]) * KB;

  it("holds actions to ACTION_BODY_LIMIT and buffers PROXY_BODY_BUFFER, a socket read above it", async () => {
    const { experimental } = await load();
    expect(kb(experimental.serverActions.bodySizeLimit)).toBe(ACTION_BODY_LIMIT);
    expect(kb(experimental.proxyClientMaxBodySize)).toBe(PROXY_BODY_BUFFER);
    expect(PROXY_BODY_BUFFER - ACTION_BODY_LIMIT).toBeGreaterThanOrEqual(128 * KB);
    // 150 clients each filling the proxy's buffer stay well under 100 MB.
    expect(150 * PROXY_BODY_BUFFER).toBeLessThan(64 * 1024 * KB);
  });

  it("gives the API the headers the edge gives its own answers, with a policy that allows nothing", async () => {
    const rules = await (await load()).headers();
    const on = (source: string) => rules.filter((r) => r.source === source).flatMap((r) => r.headers);
    const api = [...on("/:path*"), ...on("/api/:path*")];
    expect(api.find((h) => h.key === "Content-Security-Policy")?.value).toBe("default-src 'none'; frame-ancestors 'none'");
    for (const { key, value } of api) expect(EDGE_HEADERS[key.toLowerCase()], key).toBe(value);
  });
});
