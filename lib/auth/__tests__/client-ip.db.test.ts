import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { createUserWithPassword } from "../../users/create.ts";
import { withClientIp } from "../client-ip.ts";
import { getAuth } from "../server.ts";
import { stampSocketAddresses } from "../socket-address.ts";

// A real socket: the socket stamping instrumentation.ts installs, in front of
// better-auth's handler as app/api/auth/[...all]/route.ts calls it.
let db: TestDatabase;
let server: Server;
let base: string;

beforeAll(async () => {
  delete process.env.TRUST_PROXY;
  db = await createTestDatabase({ install: true });
  await createUserWithPassword({ email: "ip@example.com", name: "IP", role: "marketer", password: "correct-horse-battery" }, db.prisma);
  stampSocketAddresses();
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    const request = new Request(`${base}${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) });
    const response = await (await getAuth()).handler(new Request(request, { headers: withClientIp(request.headers) }));
    res.writeHead(response.status, { "content-type": "application/json" }).end(await response.text());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await db?.dispose();
});

it("stores the socket address, not X-Forwarded-For as sent, when TRUST_PROXY is unset", async () => {
  const response = await fetch(`${base}/api/auth/sign-in/email`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      origin: base,
      "x-forwarded-for": "=7+7",
      "x-consent-desk-socket-address": "6.6.6.6",
      "x-consent-desk-client-ip": "6.6.6.6",
    },
    body: JSON.stringify({ email: "ip@example.com", password: "wrong-password-123" }),
  });
  expect(response.status).toBe(401);
  const entry = await db.prisma.auditEntry.findFirstOrThrow({ where: { action: "sign_in.failure" }, orderBy: { id: "desc" } });
  expect(entry.ip).toBe("127.0.0.1");
  const counters = await db.prisma.signInCounter.findMany({ select: { key: true } });
  expect(counters.map((c) => c.key)).toContain("client:127.0.0.1");
});
