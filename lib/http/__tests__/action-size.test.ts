import { describe, expect, it } from "vitest";
import { ACTION_BODY_LIMIT, refuseOversizedAction, refuseUnfitAction } from "../action-size.ts";

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

  it("holds every page to the one limit: a bulk deletion's file goes to its API route, so its page takes no more (a 100 MB upload: 413)", () => {
    const upload = (length: number, path = "/deletions/bulk") =>
      refuseOversizedAction(
        new Request(`http://localhost${path}`, { method: "POST", headers: { "next-action": "abc", "content-length": String(length) } }),
      );
    expect(upload(ACTION_BODY_LIMIT)).toBeNull();
    expect(upload(ACTION_BODY_LIMIT + 1)?.status).toBe(413);
    expect(upload(100 * 1024 * 1024)?.status).toBe(413);
    expect(upload(ACTION_BODY_LIMIT + 1, "/deletions")?.status).toBe(413);
  });
});

describe("refuseUnfitAction", () => {
  const post = (body: string, action = true) =>
    new Request("http://localhost/customers", { method: "POST", headers: action ? { "next-action": "abc" } : {}, body });
  it("refuses an action body nested 5,000 deep, and leaves the request readable", async () => {
    const deep = post(`[${"[".repeat(5_000)}1${"]".repeat(5_000)}]`);
    expect((await refuseUnfitAction(deep))?.status).toBe(400);
    const fine = post('[{"name":"a"}]');
    expect(await refuseUnfitAction(fine)).toBeNull();
    expect(await fine.text()).toBe('[{"name":"a"}]');
  });
  it("refuses a chunked body that passes the limit without declaring a length", async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x61);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 4 * ACTION_BODY_LIMIT) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const chunked = new Request("http://localhost/customers", {
      method: "POST",
      headers: { "next-action": "abc" },
      body,
      duplex: "half",
    } as RequestInit);
    expect(chunked.headers.has("content-length")).toBe(false);
    expect((await refuseUnfitAction(chunked))?.status).toBe(413);
    expect(sent).toBeLessThan(2 * ACTION_BODY_LIMIT);
  });
  it("lets a body at the limit through", async () => {
    expect(await refuseUnfitAction(post("a".repeat(ACTION_BODY_LIMIT)))).toBeNull();
  });
  it("lets other requests through unread", async () => {
    expect(await refuseUnfitAction(post(`${"[".repeat(5_000)}`, false))).toBeNull();
  });
});
