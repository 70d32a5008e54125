import { describe, expect, it } from "vitest";
import { ACTION_BODY_LIMIT, refuseDeepAction, refuseOversizedAction } from "../action-size.ts";

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

describe("refuseDeepAction", () => {
  const post = (body: string, action = true) =>
    new Request("http://localhost/customers", { method: "POST", headers: action ? { "next-action": "abc" } : {}, body });
  it("refuses an action body nested 5,000 deep, and leaves the request readable", async () => {
    const deep = post(`[${"[".repeat(5_000)}1${"]".repeat(5_000)}]`);
    expect((await refuseDeepAction(deep))?.status).toBe(400);
    const fine = post('[{"name":"a"}]');
    expect(await refuseDeepAction(fine)).toBeNull();
    expect(await fine.text()).toBe('[{"name":"a"}]');
  });
  it("lets other requests through unread", async () => {
    expect(await refuseDeepAction(post(`${"[".repeat(5_000)}`, false))).toBeNull();
  });
});
