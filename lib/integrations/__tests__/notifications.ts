import { SIGNALS_CHANNEL } from "../../delivery/notify.ts";
import type { TestDatabase } from "../../testing/test-database.ts";

/** Counts the notifications the delivery workers LISTEN for, on either database, until stopped. */
export async function listenForSignalsDue(db: TestDatabase): Promise<{ count(): number; stop(): Promise<void> }> {
  let received = 0;
  if (db.driver.kind === "pglite") {
    const unlisten = await db.driver.pglite.listen(SIGNALS_CHANNEL, () => received++);
    return { count: () => received, stop: () => unlisten() };
  }
  const client = await db.driver.pool.connect();
  client.on("notification", (message) => {
    if (message.channel === SIGNALS_CHANNEL) received++;
  });
  await client.query(`LISTEN ${SIGNALS_CHANNEL}`);
  return {
    count: () => received,
    stop: async () => {
      await client.query(`UNLISTEN ${SIGNALS_CHANNEL}`);
      client.release();
    },
  };
}
