// The delivery worker as its own process (README "Delivery and retries"):
// `npm run worker`, as many as needed against one PostgreSQL. SIGTERM or
// SIGINT stops it gracefully: no new claims, the requests in flight finish
// and are recorded, and a bulk deletion being processed is handed back after
// the erasures in flight commit. A second signal exits at once (the leases then run out
// and other workers take the claims over).
import { closeDatabase, getDatabase } from "../lib/db/client.ts";
import { describeDatabase } from "../lib/db/config.ts";
import { createDeletionProcessor } from "../lib/deletions/processor.ts";
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
// Bulk deletions too: claimed with a lease, so any number of workers share them.
const processor = createDeletionProcessor({ database });
processor.start();

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`delivery worker ${worker.id}: ${signal}, finishing the requests in flight`);
    Promise.all([worker.stop(), processor.stop()])
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
