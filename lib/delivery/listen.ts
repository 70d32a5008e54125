import "server-only";
import pg from "pg";
import type { Database } from "../db/client.ts";
import { SIGNALS_CHANNEL } from "./notify.ts";

// Wakes the delivery worker when signals are queued (a trigger NOTIFYs at the
// commit of every insert, lib/delivery/notify.ts). PGlite: its own listen, in
// process. PostgreSQL: one dedicated connection outside the pool (a pooled
// connection would be handed to queries, and LISTEN belongs to a session),
// reconnected with backoff when it drops. Missing a notification is never
// fatal: the worker polls as a backstop, and wakes at once after a reconnect
// to catch up on what was queued while nobody listened.

export interface Listener {
  /** Whether notifications can arrive now (false while a PostgreSQL connection is being re-made). */
  readonly connected: boolean;
  close(): Promise<void>;
}

const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 15_000;
export const LISTENER_APPLICATION_NAME = "consent-desk-delivery-listen";

export async function listenForSignals(
  database: Pick<Database, "config" | "driver">,
  onNotify: () => void,
  log: (line: string) => void,
): Promise<Listener> {
  const { driver, config } = database;
  if (driver.kind === "pglite") {
    const unlisten = await driver.pglite.listen(SIGNALS_CHANNEL, () => onNotify());
    return { connected: true, close: () => unlisten().catch(() => {}) };
  }
  if (config.kind !== "postgres") throw new Error("a PostgreSQL driver without a PostgreSQL URL");
  const url = config.url;

  let closed = false;
  let current: pg.Client | null = null;
  let retryMs = RECONNECT_MIN_MS;
  let timer: NodeJS.Timeout | undefined;

  const reconnectLater = () => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, retryMs);
    retryMs = Math.min(RECONNECT_MAX_MS, retryMs * 2);
  };

  const connect = async () => {
    const client = new pg.Client({ connectionString: url, application_name: LISTENER_APPLICATION_NAME, keepAlive: true });
    let dropped = false;
    const drop = (why: string) => {
      if (dropped) return;
      dropped = true;
      if (current === client) current = null;
      client.end().catch(() => {});
      if (!closed) {
        log(`delivery: LISTEN connection lost (${why}); reconnecting`);
        reconnectLater();
      }
    };
    client.on("notification", (message) => {
      if (message.channel === SIGNALS_CHANNEL) onNotify();
    });
    client.on("error", (error) => drop(error.message));
    client.on("end", () => drop("ended"));
    try {
      await client.connect();
      await client.query(`LISTEN ${SIGNALS_CHANNEL}`);
    } catch (error) {
      drop(error instanceof Error ? error.message : String(error));
      return;
    }
    if (closed || dropped) {
      if (!dropped) await client.end().catch(() => {});
      return;
    }
    current = client;
    retryMs = RECONNECT_MIN_MS;
    // Whatever was queued while no connection listened.
    onNotify();
  };

  await connect();
  return {
    get connected() {
      return current !== null;
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      const client = current;
      current = null;
      await client?.end().catch(() => {});
    },
  };
}
