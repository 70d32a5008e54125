// The demo's webhook receiver (README "Delivery and retries"): what a
// connected tool does with our signals. Listens on 127.0.0.1:4010 (the demo
// integrations in lib/seed/reference.ts point at /hooks/<vendor>), verifies
// each request's signature with the standardwebhooks package and that
// vendor's fixed demo secret, and answers 200 {"reference": "<vendor>-<n>"}
// (401 for a bad signature, 404 for a vendor it does not know). A repeated
// webhook-id (a retry after a lost answer) is recognised and answered with
// the reference it got the first time, as a receiver that drops duplicates
// would. One log line per request.
//
//   npm run demo            runs it beside the app
//   tsx scripts/demo-receiver.ts [--port 4010] [--fail-every N]
//
// --fail-every N answers 503 to every Nth request, so the demo shows retries too.
import { createServer, type Server } from "node:http";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { Webhook } from "standardwebhooks";
import { DEMO_INTEGRATIONS } from "../lib/seed/reference.ts";

export const DEMO_RECEIVER_PORT = 4010;

export interface DemoReceiverOptions {
  port?: number;
  /** Answer 503 to every Nth request (0: never). */
  failEvery?: number;
  log?: (line: string) => void;
}

const MAX_BODY_BYTES = 1024 * 1024;

export async function startDemoReceiver(options: DemoReceiverOptions = {}): Promise<Server> {
  const log = options.log ?? ((line: string) => console.log(line));
  const verifiers = new Map(DEMO_INTEGRATIONS.map((i) => [i.vendor as string, new Webhook(i.signingSecret)]));
  const counts = new Map<string, number>();
  const seen = new Map<string, string>();
  let requests = 0;

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on("end", () => {
      requests += 1;
      const answer = (status: number, body: object, note: string) => {
        response.writeHead(status, { "content-type": "application/json" });
        response.end(JSON.stringify(body));
        log(`demo receiver: ${request.method} ${request.url} ${status} ${note}`);
      };
      const vendor = /^\/hooks\/([a-z0-9_-]+)\/?$/.exec(request.url ?? "")?.[1];
      const verifier = vendor ? verifiers.get(vendor) : undefined;
      if (request.method !== "POST" || !vendor || !verifier) return answer(404, { error: "no such hook" }, "");
      const body = Buffer.concat(chunks).toString("utf8");
      const id = String(request.headers["webhook-id"] ?? "");
      let event: { type?: string; data?: { customer_id?: string } };
      try {
        event = verifier.verify(body, request.headers as Record<string, string>) as typeof event;
      } catch (error) {
        return answer(401, { error: "bad signature" }, `${id} refused: ${error instanceof Error ? error.message : String(error)}`);
      }
      const what = `${id} ${event.type ?? "?"}${event.data?.customer_id ? ` customer ${event.data.customer_id}` : ""}`;
      if (options.failEvery && requests % options.failEvery === 0)
        return answer(503, { error: "try again later" }, `${what} (a planned failure)`);
      const known = seen.get(id);
      if (known) return answer(200, { reference: known }, `${what} duplicate, already ${known}`);
      const n = (counts.get(vendor) ?? 0) + 1;
      counts.set(vendor, n);
      const reference = `${vendor}-${n}`;
      seen.set(id, reference);
      answer(200, { reference }, `${what} -> ${reference}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? DEMO_RECEIVER_PORT, "127.0.0.1", resolve);
  });
  return server;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { port: { type: "string" }, "fail-every": { type: "string" } } });
  const port = Number(values.port ?? DEMO_RECEIVER_PORT);
  const failEvery = Number(values["fail-every"] ?? 0);
  if (!Number.isInteger(port) || !Number.isInteger(failEvery) || failEvery < 0) {
    console.error("Usage: tsx scripts/demo-receiver.ts [--port 4010] [--fail-every N]");
    process.exit(1);
  }
  const server = await startDemoReceiver({ port, failEvery }).catch((error: unknown) => {
    console.error(`demo receiver: cannot listen on 127.0.0.1:${port} (${error instanceof Error ? error.message : String(error)})`);
    process.exit(1);
  });
  console.log(`demo receiver: listening on http://127.0.0.1:${port}/hooks/<vendor> (${DEMO_INTEGRATIONS.map((i) => i.vendor).join(", ")})`);
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.close(() => process.exit(0)));
}
