// `npm run demo`'s last step: the demo webhook receiver (scripts/demo-receiver.ts)
// in this process, and the app's server (scripts/server.ts, as `npm start`) beside it with loopback endpoints allowed
// (INTEGRATIONS_ALLOW_PRIVATE=1, for the demo only) and the delivery worker
// inside the app, so consent changes in the demo are delivered, signed, to
// the receiver, and the integrations pages show them delivered.
// DEMO_RECEIVER_FAIL_EVERY=N makes the receiver answer 503 to every Nth request.
import { spawn } from "node:child_process";
import { DEMO_RECEIVER_PORT, startDemoReceiver } from "./demo-receiver.ts";

const failEvery = Number(process.env.DEMO_RECEIVER_FAIL_EVERY ?? 0) || 0;
const receiver = await startDemoReceiver({ failEvery }).catch((error: unknown) => {
  console.error(
    `demo: the webhook receiver could not listen on 127.0.0.1:${DEMO_RECEIVER_PORT} (${error instanceof Error ? error.message : String(error)}); is another demo running?`,
  );
  process.exit(1);
});
console.log(`demo: webhook receiver on http://127.0.0.1:${DEMO_RECEIVER_PORT}/hooks/<vendor>`);

const env: NodeJS.ProcessEnv = { ...process.env, INTEGRATIONS_ALLOW_PRIVATE: "1" };
env.DELIVERY_WORKER ??= "inline";
// Node itself, not through npm or npx, so a SIGTERM passed on reaches the server.
const app = spawn(process.execPath, ["--import", "tsx/esm", "scripts/server.ts", ...process.argv.slice(2)], { stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => app.kill(signal));
app.on("exit", (code) => {
  receiver.close();
  process.exit(code ?? 0);
});
