// Runs once when a Next.js server process starts: open the database and apply
// pending migrations before the first request, so a misconfigured database
// fails at start, not on a customer's page. Then, when DELIVERY_WORKER says
// so (lib/delivery/worker-mode.ts), start the delivery worker and the bulk
// deletion processor in this process.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Before any request: Next.js gives App Router code no socket address (lib/auth/client-ip.ts).
  const { stampSocketAddresses } = await import("./lib/auth/socket-address.ts");
  stampSocketAddresses();
  const { getDatabase } = await import("./lib/db/client.ts");
  const { describeDatabase } = await import("./lib/db/config.ts");
  const database = await getDatabase();
  console.log(`Consent Desk: ${describeDatabase(database.config)} ready`);

  const { deliveryWorkerMode } = await import("./lib/delivery/worker-mode.ts");
  if (deliveryWorkerMode() !== "inline") return;
  // Once per process, also across dev reloads.
  const started = globalThis as unknown as { __consentDeskDeliveryWorker?: boolean };
  if (started.__consentDeskDeliveryWorker) return;
  started.__consentDeskDeliveryWorker = true;
  const { createDeliveryWorker } = await import("./lib/delivery/worker.ts");
  const worker = createDeliveryWorker({ database });
  await worker.start();
  console.log(`Consent Desk: delivery worker ${worker.id} running in this process`);
  // Bulk deletions are processed wherever signals are delivered (lib/deletions/processor.ts).
  const { createDeletionProcessor } = await import("./lib/deletions/processor.ts");
  const processor = createDeletionProcessor({ database });
  processor.start();
  console.log(`Consent Desk: bulk deletion processor ${processor.id} running in this process`);
}
