// A database error as it may travel up and be logged: the statement and the
// error code stay (enough to find the cause), the values do not. PGlite puts
// the bound parameters on its errors and PostgreSQL's `detail` repeats key
// values ("Key (email)=(ana@…) already exists"); either would carry external
// ids, emails, IPs or audit JSON into the server's logs.

const CARRY_VALUES = ["params", "queryOptions", "detail"] as const;

export function scrubDatabaseError(error: unknown): unknown {
  if (error !== null && typeof error === "object") {
    for (const key of CARRY_VALUES) if (key in error) delete (error as Record<string, unknown>)[key];
  }
  return error;
}

// A connection the server ended (pg_terminate_backend, a restart, a failover)
// or that could not be had. Whatever the statement was doing is rolled back
// with its connection, and the pool replaces the connection on next use, so
// a read may simply run again; a write is answered "try again" (503).
const UNAVAILABLE_CODES = new Set([
  "57P01", // admin_shutdown: pg_terminate_backend, a fast shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now: starting up, in recovery
  "53300", // too_many_connections
  "08000", // connection_exception, and its kinds:
  "08001",
  "08003",
  "08004",
  "08006",
  "08007", // transaction_resolution_unknown
]);
/** @prisma/adapter-pg's kinds for the same (its DriverAdapterError's cause). */
const UNAVAILABLE_KINDS = new Set(["ConnectionClosed", "DatabaseNotReachable", "SocketTimeout", "TooManyConnections"]);
/** node-postgres's own errors carry no code, only these words; Prisma's can't-reach and closed-connection codes. */
const UNAVAILABLE_MESSAGE = /^(Connection terminated|Client has encountered a connection error|Connection ended)/;
const UNAVAILABLE_NODE_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "P1001", "P1002", "P1017"]);

/**
 * True when `error` (a pg error, Prisma's wrapping of one, or any error whose
 * `cause` is one) says the database connection was lost or could not be had,
 * rather than that the statement itself failed.
 */
export function isConnectionLost(error: unknown): boolean {
  const seen = new Set<unknown>();
  const stack: unknown[] = [error];
  while (stack.length > 0) {
    const current = stack.pop();
    if (current === null || typeof current !== "object" || seen.has(current)) continue;
    seen.add(current);
    const e = current as { code?: unknown; originalCode?: unknown; kind?: unknown; message?: unknown; cause?: unknown; meta?: unknown };
    if (typeof e.code === "string" && (UNAVAILABLE_CODES.has(e.code) || UNAVAILABLE_NODE_CODES.has(e.code))) return true;
    if (typeof e.originalCode === "string" && UNAVAILABLE_CODES.has(e.originalCode)) return true;
    if (typeof e.kind === "string" && UNAVAILABLE_KINDS.has(e.kind)) return true;
    if (typeof e.message === "string" && UNAVAILABLE_MESSAGE.test(e.message)) return true;
    stack.push(e.cause, (e.meta as { driverAdapterError?: unknown } | undefined)?.driverAdapterError);
  }
  return false;
}
