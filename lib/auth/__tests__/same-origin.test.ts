import { describe, expect, it } from "vitest";
import { readJsonBody } from "../../api/http.ts";
import { refuseSessionRequest } from "../same-origin.ts";

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
