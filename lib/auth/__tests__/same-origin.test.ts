import { describe, expect, it } from "vitest";
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
    ["same-origin but text/plain", "POST", { "sec-fetch-site": "same-origin", "content-type": "text/plain" }, 415],
    ["same-origin without a content type", "PUT", { "sec-fetch-site": "same-origin" }, 415],
  ] as const)("%s", (_name, method, headers, status) => {
    expect(refuseSessionRequest(req(method, headers))?.status ?? null).toBe(status);
  });
});
