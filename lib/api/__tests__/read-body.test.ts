import { describe, expect, it } from "vitest";
import { readBodyUpTo } from "../http.ts";

const post = (body: BodyInit | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
  new Request("http://localhost/api/events", { method: "POST", headers, body, duplex: "half" } as RequestInit);

describe("readBodyUpTo", () => {
  it("reads a body within the limit", async () => {
    expect(new TextDecoder().decode((await readBodyUpTo(post("{}"), 10)) as Uint8Array)).toBe("{}");
  });

  it("refuses a body declared or read past the limit with 413, in the envelope", async () => {
    const declared = await readBodyUpTo(post("x", { "content-length": "11" }), 10);
    const read = await readBodyUpTo(post("x".repeat(11)), 10);
    for (const answer of [declared, read]) {
      expect((answer as Response).status).toBe(413);
      expect(await (answer as Response).json()).toMatchObject({
        error: { code: "payload_too_large", fields: { body: expect.any(String) } },
      });
    }
  });

  it("answers 400, rather than throwing, when the client stops sending half-way", async () => {
    let sent = false;
    const aborted = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (!sent) return void ((sent = true), controller.enqueue(new TextEncoder().encode('{"a"')));
        controller.error(Object.assign(new Error("aborted"), { code: "ECONNRESET" }));
      },
    });
    const answer = (await readBodyUpTo(post(aborted), 1024)) as Response;
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ error: { code: "incomplete_body" } });
  });
});
