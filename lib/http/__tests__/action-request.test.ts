import { describe, expect, it } from "vitest";
import type { OriginContext } from "../../auth/same-origin.ts";
import { refuseActionBody, refuseActionOrigin } from "../action-request.ts";

// The request shapes found against the built server (lib/http/action-request.ts), each answered as what it is.

const PAGE = "http://localhost:3000/customers";
const CONTEXT: OriginContext = { publicUrl: undefined, trustForwarded: false };
const action = (headers: Record<string, string>, body?: BodyInit) =>
  new Request(PAGE, { method: "POST", headers: { host: "consent.example.com", "next-action": "7f00aa", ...headers }, body });
const multipart = (fields: Record<string, string>) => {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return form;
};

describe("refuseActionOrigin", () => {
  it.each([
    ["the app's own page", { origin: "https://consent.example.com", "sec-fetch-site": "same-origin" }, null],
    ["no Origin and no Sec-Fetch-Site (no browser: as Next.js, let through)", {}, null],
    ["a foreign Origin", { origin: "https://evil.example" }, 403],
    ["Origin null", { origin: "null" }, 403],
    ["an empty Origin", { origin: "" }, 400],
    ["an Origin that is no origin", { origin: "not a url" }, 400],
    ["a cross-site browser request without Origin", { "sec-fetch-site": "cross-site" }, 403],
    ["another port of the same site", { "sec-fetch-site": "same-site" }, 403],
  ] as const)("%s", (_name, headers, status) => {
    expect(refuseActionOrigin(action(headers), CONTEXT)?.status ?? null).toBe(status);
  });

  it("takes the public URL's origin when the proxy in front rewrites Host", () => {
    const request = action({ origin: "https://consent.example.com", host: "app:3000" });
    expect(refuseActionOrigin(request, CONTEXT)?.status).toBe(403);
    expect(refuseActionOrigin(request, { ...CONTEXT, publicUrl: "https://consent.example.com" })).toBeNull();
  });

  it("leaves other requests alone: a GET, a plain POST that is not multipart", () => {
    const get = new Request(PAGE, { headers: { origin: "https://evil.example" } });
    const post = new Request(PAGE, {
      method: "POST",
      headers: { origin: "https://evil.example", "content-type": "text/plain" },
      body: "x",
    });
    expect(refuseActionOrigin(get, CONTEXT)).toBeNull();
    expect(refuseActionOrigin(post, CONTEXT)).toBeNull();
  });

  it("names the field in the refusal", () => {
    expect(refuseActionOrigin(action({ origin: "https://evil.example" }), CONTEXT)).toMatchObject({
      code: "cross_site_request",
      field: "origin",
    });
  });
});

describe("refuseActionBody", () => {
  it.each([
    ["JSON text, as React sends plain arguments", action({ "content-type": "text/plain;charset=UTF-8" }, '["$undefined",{}]'), null],
    ["multipart with a JSON root", action({}, multipart({ "0": '["$K1"]', "1_email": "a@b.c" })), null],
    ["text that is not JSON", action({ "content-type": "text/plain" }, "not json"), 400],
    ["multipart without the root part", action({}, multipart({ "1_email": "a@b.c" })), 400],
    ["multipart whose root is not JSON", action({}, multipart({ "0": "not json" })), 400],
    ["multipart that does not parse", action({ "content-type": "multipart/form-data; boundary=xyz" }, "garbage"), 400],
    [
      "a form posted without JavaScript, not multipart that parses",
      new Request(PAGE, { method: "POST", headers: { "content-type": "multipart/form-data; boundary=xyz" }, body: "garbage" }),
      400,
    ],
    ["a form posted without JavaScript", new Request(PAGE, { method: "POST", body: multipart({ $ACTION_ID_x: "", a: "b" }) }), null],
  ] as const)("%s", async (_name, request, status) => {
    expect((await refuseActionBody(request))?.status ?? null).toBe(status);
  });

  it("leaves the body for Next.js to read", async () => {
    const request = action({ "content-type": "text/plain" }, "[1]");
    expect(await refuseActionBody(request)).toBeNull();
    expect(await request.text()).toBe("[1]");
  });
});
