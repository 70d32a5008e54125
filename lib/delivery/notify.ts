// The channel the delivery workers LISTEN on. A trigger on integration_signals
// notifies it for every statement that queues signals (migration
// 20261203000000_integration_delivery); code that makes signals due again
// without an insert (a manual retry, resuming an integration) calls
// notifySignalsDue in its transaction, so the workers wake at once (the
// notification is sent at commit).

export const SIGNALS_CHANNEL = "integration_signals";

export const NOTIFY_SIGNALS_SQL = `SELECT pg_notify('${SIGNALS_CHANNEL}', '')`;

export async function notifySignalsDue(db: { $executeRawUnsafe(sql: string): Promise<unknown> }): Promise<void> {
  await db.$executeRawUnsafe(NOTIFY_SIGNALS_SQL);
}
