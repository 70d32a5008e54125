// Runs once when a Next.js server process starts: open the database and apply
// pending migrations before the first request, so a misconfigured database
// fails at start, not on a customer's page.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Before any request: Next.js gives App Router code no socket address (lib/auth/client-ip.ts).
  const { stampSocketAddresses } = await import("./lib/auth/socket-address.ts");
  stampSocketAddresses();
  const { getDatabase } = await import("./lib/db/client.ts");
  const { describeDatabase } = await import("./lib/db/config.ts");
  const database = await getDatabase();
  console.log(`Consent Desk: ${describeDatabase(database.config)} ready`);
}
