import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { NOT_FOUND_PATH, refuseUndecodablePath, undecodableSegment } from "../segments.ts";

describe("undecodableSegment", () => {
  it.each([
    ["/customers/%FF", "%FF"],
    ["/api/storefront/v1/customers/%ED%A0%80/consent", "%ED%A0%80"],
    ["/customers/%E2%82", "%E2%82"],
    ["/customers/%zz", "%zz"],
    ["/customers/%C3%A9", null],
    ["/customers/%00", null],
    ["/customers", null],
  ])("%s", (pathname, bad) => {
    expect(undecodableSegment(pathname)).toBe(bad);
  });
});

describe("refuseUndecodablePath", () => {
  it("answers the API's error envelope with 400 under /api", async () => {
    const response = refuseUndecodablePath(new NextRequest("http://localhost/api/storefront/v1/customers/%ED%A0%80/consent"));
    expect(response?.status).toBe(400);
    expect(await response?.json()).toMatchObject({ error: { code: "invalid_path", fields: { path: expect.any(String) } } });
  });

  it("rewrites a page to the not-found page, and lets good paths through", () => {
    const response = refuseUndecodablePath(new NextRequest("http://localhost/customers/%FF"));
    expect(response?.headers.get("x-middleware-rewrite")).toBe(`http://localhost${NOT_FOUND_PATH}`);
    expect(refuseUndecodablePath(new NextRequest("http://localhost/customers/abc"))).toBeNull();
  });
});
