// A delivery worker in a process of its own, for crash.db.test.ts to SIGKILL:
// DATABASE_URL names the test's database; a short lease so the test need not
// wait a minute for the claims it leaves behind.
import { createDatabase } from "../../db/client.ts";
import { createDeliveryWorker } from "../worker.ts";

const database = createDatabase({ kind: "postgres", url: process.env.DATABASE_URL! }, { poolSize: 3 });
const worker = createDeliveryWorker({
  database,
  workerId: "crashing-worker",
  concurrency: 8,
  leaseMs: 2_000,
  requestTimeoutMs: 1_000,
  policy: { allowPrivate: true },
});
await worker.start();
console.log("ready");
