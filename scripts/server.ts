// `npm start`: the built app on Node's HTTP server with the edge in front
// (lib/http/edge-server.ts): timeouts for slow clients, which `next start`
// cannot set, and oversized bodies refused before Next.js buffers them.
// `npm run demo` and the browser tests' server (e2e/serve.ts) run this too.
//   node --import tsx/esm scripts/server.ts [-p 3000] [-H 0.0.0.0]
// PORT is the default port; HTTP_*_MS set the timeouts (see the README's Configuration).
import { parseArgs } from "node:util";
import { serverTimeouts } from "../lib/http/edge.ts";
import { createEdgeServer } from "../lib/http/edge-server.ts";

const { values } = parseArgs({
  options: { port: { type: "string", short: "p" }, hostname: { type: "string", short: "H" } },
  strict: true,
});
const port = Number(values.port ?? process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`Not a port: ${values.port ?? process.env.PORT}`);
const timeouts = serverTimeouts();

// Set before Next.js loads: React and Next.js pick their production builds by it.
Object.assign(process.env, { NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: process.env.NEXT_TELEMETRY_DISABLED ?? "1" });
const { default: next } = await import("next");
const app = next({ dev: false, dir: process.cwd(), hostname: values.hostname ?? "localhost", port });
await app.prepare();

const hsts: Record<string, string> = process.env.BETTER_AUTH_URL?.startsWith("https:")
  ? { "strict-transport-security": "max-age=63072000; includeSubDomains" }
  : {};
const server = createEdgeServer(app.getRequestHandler(), { timeouts, headers: hsts });
server.listen(port, values.hostname, () => {
  const address = server.address();
  const where = typeof address === "object" && address ? `${values.hostname ?? "localhost"}:${address.port}` : String(address);
  const seconds = (ms: number) => `${ms / 1000} s`;
  console.log(
    `Consent Desk: listening on http://${where} (headers within ${seconds(timeouts.headersTimeout)}, ` +
      `a whole request within ${seconds(timeouts.requestTimeout)})`,
  );
});

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    const exit = () => process.exit(signal === "SIGINT" ? 130 : 143);
    // Requests in flight get a moment to finish; then the process ends regardless.
    server.close(exit);
    server.closeIdleConnections();
    setTimeout(exit, 5_000).unref();
  });
}
