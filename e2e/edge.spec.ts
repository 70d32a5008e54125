import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { authFile } from "./auth";
import { expect, test } from "./fixtures";
import { LINGER_MS } from "../lib/http/edge-server.ts";
import { loggedSince, logMark } from "./server-log";

// The server in front of Next.js (scripts/server.ts, lib/http/edge-server.ts),
// on the built app: a body declared too large is answered at once, a client
// that dribbles its headers or its body is cut off within the server's
// timeouts (e2e/serve.ts sets 3 s and 8 s), a body abandoned half-way leaves
// nothing in the server's log, and proxy.ts no longer runs on the API.
// The memory these bound under load is measured by `npm run bench:edge`.

const HEADERS_TIMEOUT = 3_000;
const REQUEST_TIMEOUT = 8_000;
/** Node checks the timeouts every second (HTTP_TIMEOUT_CHECK_MS), and a busy CI machine is late. */
const SLACK = 2_500;

type Raw = { status: number | null; text: string; firstByteMs: number | null; closedMs: number };

/** One request over a raw socket: `write` sends what it likes when it likes; resolves once the server closes the connection. */
function raw(write: (send: (text: string) => boolean, stop: () => void) => void, { destroyAfterMs = 30_000 } = {}): Promise<Raw> {
  const url = new URL(test.info().project.use.baseURL!);
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect(Number(url.port), url.hostname);
    let text = "";
    let firstByteMs: number | null = null;
    socket.on("data", (chunk) => {
      firstByteMs ??= performance.now() - started;
      text += chunk.toString("utf8");
    });
    socket.on("error", () => {});
    const timer = setTimeout(() => socket.destroy(), destroyAfterMs);
    socket.on("close", () => {
      clearTimeout(timer);
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      resolve({ status: status ? Number(status) : null, text, firstByteMs, closedMs: performance.now() - started });
    });
    write(
      (t) => !socket.destroyed && socket.write(t),
      () => socket.destroy(),
    );
  });
}

const marketerCookie = () =>
  (JSON.parse(readFileSync(authFile("marketer"), "utf8")) as { cookies: Array<{ name: string; value: string }> }).cookies
    .map((c) => `${c.name}=${c.value}`)
    .join("; ");

test.describe("the server's edge", () => {
  test("answers a body declared over its path's limit at once, with 3 bytes sent: 413 in the API's envelope, and closes", async () => {
    for (const [path, extra] of [
      ["/api/events", "Content-Type: application/json\r\n"],
      ["/customers", "Next-Action: 0123456789abcdef\r\nContent-Type: text/plain;charset=UTF-8\r\n"],
      ["/sign-in", "Content-Type: text/plain\r\n"],
    ] as const) {
      await test.step(path, async () => {
        const answer = await raw((send) =>
          send(`POST ${path} HTTP/1.1\r\nHost: x\r\n${extra}Content-Length: ${12 * 1024 * 1024}\r\n\r\nabc`),
        );
        expect(answer.status).toBe(413);
        expect(answer.firstByteMs!).toBeLessThan(1_000);
        // Closed a couple of seconds after the answer, the rest of the body unread (lib/http/edge-server.ts: LINGER_MS).
        expect(answer.closedMs).toBeLessThan(LINGER_MS + SLACK);
        expect(answer.text.toLowerCase()).toContain("connection: close");
        expect(JSON.parse(answer.text.split("\r\n\r\n")[1]!)).toMatchObject({
          error: { code: "payload_too_large", fields: { body: expect.any(String) } },
        });
      });
    }
  });

  test("cuts off a client that dribbles its headers within the headers timeout", async () => {
    const answer = await raw((send) => {
      send("GET /sign-in HTTP/1.1\r\nHost: x\r\n");
      const timer = setInterval(() => send("X-Slow: y\r\n") || clearInterval(timer), 200);
    });
    expect(answer.closedMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT - 100);
    expect(answer.closedMs).toBeLessThan(HEADERS_TIMEOUT + SLACK);
    expect(answer.status).toBe(408);
  });

  test("cuts off a client that dribbles its body within the request timeout, on an API route and on a page", async () => {
    test.setTimeout(60_000);
    const dribble = (path: string) =>
      raw((send) => {
        send(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n`);
        const timer = setInterval(() => send("x") || clearInterval(timer), 200);
      });
    const [api, page] = await Promise.all([dribble("/api/events"), dribble("/sign-in")]);
    for (const answer of [api, page]) {
      expect(answer.closedMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT - 100);
      expect(answer.closedMs).toBeLessThan(REQUEST_TIMEOUT + SLACK);
    }
    // The API route answered 401 at once without reading; the page's body never reached Next.js, so only the timeout answers it.
    expect(api.status).toBe(401);
    expect(page.status).toBe(408);
  });

  test("leaves nothing in the server's log when a client abandons its body half-way, on an API route and on an action", async () => {
    const mark = logMark();
    const abandon = (head: string) =>
      raw(
        (send, stop) => {
          send(`${head}Content-Length: 5000\r\n\r\n{"customer_id": "demo-ana", "ty`);
          setTimeout(stop, 500);
        },
        { destroyAfterMs: 2_000 },
      );
    // The marketer's session, from the app's own page: the route reads the body, which never ends.
    const cookie = marketerCookie();
    await abandon(
      `POST /api/events HTTP/1.1\r\nHost: x\r\nCookie: ${cookie}\r\nSec-Fetch-Site: same-origin\r\nContent-Type: application/json\r\n`,
    );
    await abandon(
      `POST /customers HTTP/1.1\r\nHost: x\r\nCookie: ${cookie}\r\nNext-Action: 0123456789abcdef\r\nContent-Type: text/plain\r\n`,
    );
    await abandon(`POST /sign-in HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n`);
    // The server logs asynchronously; give it a moment before reading what it wrote.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(loggedSince(mark)).not.toMatch(/aborted|ECONNRESET|uncaught/i);
  });

  test("an API answer comes without proxy.ts: the API's policy that allows nothing, no nonce", async ({ request }) => {
    const api = await request.get("/api/openapi.json");
    expect(api.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
    const page = await request.get("/sign-in");
    expect(page.headers()["content-security-policy"]).toMatch(/'nonce-/);
  });
});
