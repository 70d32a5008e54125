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
