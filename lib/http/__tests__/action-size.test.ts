import { describe, expect, it } from "vitest";
import { ACTION_BODY_LIMIT, refuseOversizedAction } from "../action-size.ts";

const req = (headers: Record<string, string>, method = "POST") => new Request("http://localhost/customers", { method, headers });

describe("refuseOversizedAction", () => {
  it.each([
    ["an action over the limit", { "next-action": "abc", "content-length": String(ACTION_BODY_LIMIT + 1) }, "POST", 413],
    ["an action at the limit", { "next-action": "abc", "content-length": String(ACTION_BODY_LIMIT) }, "POST", null],
    ["a large POST that is not an action", { "content-length": String(10 * ACTION_BODY_LIMIT) }, "POST", null],
    ["an action without a declared length", { "next-action": "abc" }, "POST", null],
    ["a GET", { "next-action": "abc", "content-length": "99999999" }, "GET", null],
  ] as const)("%s", (_name, headers, method, status) => {
    expect(refuseOversizedAction(req(headers, method))?.status ?? null).toBe(status);
  });
});
