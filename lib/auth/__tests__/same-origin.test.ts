import { describe, expect, it } from "vitest";
import { readJsonBody } from "../../api/http.ts";
import { fromTrustedProxy, parseTrustProxy, SOCKET_ADDRESS_HEADER, SOCKET_STAMP } from "../client-ip.ts";
import { refuseSessionRequest, type OriginContext } from "../same-origin.ts";

const req = (method: string, headers: Record<string, string>) => ({
  method,
  url: "http://127.0.0.1:3300/api/events",
  headers: new Headers(headers),
});
const JSON_TYPE = { "content-type": "application/json; charset=utf-8" };

describe("refuseSessionRequest", () => {
  it.each([
    ["a same-origin JSON POST", "POST", { "sec-fetch-site": "same-origin", ...JSON_TYPE }, null],
    ["an older browser's same-origin POST by Origin", "PATCH", { origin: "http://127.0.0.1:3300", ...JSON_TYPE }, null],
    ["a GET from anywhere (reads act on nothing)", "GET", { "sec-fetch-site": "cross-site" }, null],
    ["a form on another port (same-site, not same-origin)", "POST", { "sec-fetch-site": "same-site", "content-type": "text/plain" }, 403],
    ["a cross-site fetch", "POST", { "sec-fetch-site": "cross-site", ...JSON_TYPE }, 403],
    ["a foreign Origin without Sec-Fetch-Site", "DELETE", { origin: "http://127.0.0.1:4000", ...JSON_TYPE }, 403],
    ["neither header (a script holding a stolen cookie)", "POST", JSON_TYPE, 403],
    // Same-origin passes this guard whatever the body; a body that is not JSON is refused by the body reader (below).
    ["a same-origin DELETE with no body", "DELETE", { "sec-fetch-site": "same-origin" }, null],
  ] as const)("%s", (_name, method, headers, status) => {
    expect(refuseSessionRequest(req(method, headers))?.status ?? null).toBe(status);
  });
});

describe("refuseSessionRequest behind a proxy: the Origin is compared with the app's public origin, not the address it listens on", () => {
  const PUBLIC = "https://consent.example.com";
  // What Next.js puts in request.url: the address the server listens on.
  const behind = (headers: Record<string, string>) => ({
    method: "POST",
    url: "http://localhost:3000/api/events",
    headers: new Headers(headers),
  });
  const plain: OriginContext = { publicUrl: undefined, trustForwarded: false };
  it.each([
    ["the public URL's origin (BETTER_AUTH_URL)", { origin: PUBLIC, host: "consent.example.com" }, { ...plain, publicUrl: PUBLIC }, null],
    [
      "the public URL's origin with a trailing path and upper case",
      { origin: "HTTPS://Consent.Example.com" },
      { ...plain, publicUrl: `${PUBLIC}/app/` },
      null,
    ],
    ["the Host the browser asked for, over http", { origin: "http://consent.example.com", host: "consent.example.com" }, plain, null],
    ["https at a TLS proxy, with neither the public URL nor TRUST_PROXY", { origin: PUBLIC, host: "consent.example.com" }, plain, null],
    [
      "plain http where a trusted proxy says the browser used https",
      { origin: "http://consent.example.com", host: "app:3000", "x-forwarded-host": "consent.example.com", "x-forwarded-proto": "https" },
      { ...plain, trustForwarded: true },
      403,
    ],
    ["another port of the same host", { origin: "http://consent.example.com:8080", host: "consent.example.com" }, plain, 403],
    [
      "https at a trusted proxy (X-Forwarded-Host and -Proto)",
      { origin: PUBLIC, host: "app:3000", "x-forwarded-host": "consent.example.com", "x-forwarded-proto": "https" },
      { ...plain, trustForwarded: true },
      null,
    ],
    [
      "X-Forwarded-Host from a client no proxy vouches for",
      { origin: "http://evil.example", host: "consent.example.com", "x-forwarded-host": "evil.example" },
      plain,
      403,
    ],
    [
      "another site, with the public URL set",
      { origin: "https://evil.example", host: "consent.example.com" },
      { ...plain, publicUrl: PUBLIC },
      403,
    ],
    ["an opaque origin", { origin: "null", host: "consent.example.com" }, { ...plain, publicUrl: PUBLIC }, 403],
  ] as const)("%s", (_name, headers, context, status) => {
    expect(refuseSessionRequest(behind(headers), context)?.status ?? null).toBe(status);
  });
});

describe("fromTrustedProxy", () => {
  it("believes a proxy only as TRUST_PROXY says: hops, or the socket's address in the list", () => {
    const headers = new Headers({ [SOCKET_ADDRESS_HEADER]: "::ffff:10.0.0.7" });
    expect(fromTrustedProxy(headers, parseTrustProxy(""))).toBe(false);
    expect(fromTrustedProxy(headers, parseTrustProxy("1"))).toBe(true);
    const global = globalThis as Record<symbol, unknown>;
    const stamped = global[SOCKET_STAMP];
    global[SOCKET_STAMP] = true;
    try {
      expect(fromTrustedProxy(headers, parseTrustProxy("10.0.0.7"))).toBe(true);
      expect(fromTrustedProxy(headers, parseTrustProxy("10.0.0.8"))).toBe(false);
    } finally {
      global[SOCKET_STAMP] = stamped;
    }
  });
});

describe("a body that is not JSON", () => {
  it.each([
    ["text/plain", { "content-type": "text/plain" }],
    ["no content type", {} as Record<string, string>],
  ])("is refused with 415 by the body reader, for a session and a key alike (%s)", async (_name, headers) => {
    const result = await readJsonBody(new Request("http://localhost/api/events", { method: "POST", headers, body: "{}" }), 1024);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.response.status).toBe(415);
  });
});
