// The delivery worker as its own process (README "Delivery and retries"):
// `npm run worker`, as many as needed against one PostgreSQL. SIGTERM or
// SIGINT stops it gracefully: no new claims, the requests in flight finish
// and are recorded. A second signal exits at once (the leases then run out
// and other workers take the claims over).
import { closeDatabase, getDatabase } from "../lib/db/client.ts";
import { describeDatabase } from "../lib/db/config.ts";
import { createDeliveryWorker } from "../lib/delivery/worker.ts";

const database = await getDatabase();
if (database.driver.kind === "pglite") {
  console.warn(
    "delivery worker: no DATABASE_URL, so this is the embedded PGlite, which only one process may open; the app delivers by itself there (DELIVERY_WORKER=inline).",
  );
}
const worker = createDeliveryWorker({ database });
await worker.start();
console.log(`delivery worker ${worker.id}: delivering from ${describeDatabase(database.config)}`);

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`delivery worker ${worker.id}: ${signal}, finishing the requests in flight`);
    worker
      .stop()
      .then(closeDatabase)
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
  });
}
