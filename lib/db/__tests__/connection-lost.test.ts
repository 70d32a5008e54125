import { describe, expect, it } from "vitest";
import { isConnectionLost } from "../errors.ts";

// The shapes seen when PostgreSQL ends a connection under a statement
// (pg_terminate_backend, in lib/db/__tests__/connection-lost.db.test.ts):
// node-postgres's own error, and Prisma's wrapping of it through @prisma/adapter-pg.

const pgError = (code: string) =>
  Object.assign(new Error("terminating connection due to administrator command"), { code, severity: "FATAL" });
const prismaError = (code: string) =>
  Object.assign(new Error("Invalid `prisma.customer.count()` invocation: Database error."), {
    code: "P2039",
    meta: {
      modelName: "Customer",
      driverAdapterError: { name: "DriverAdapterError", cause: { originalCode: code, kind: "postgres", code } },
    },
  });

describe("isConnectionLost", () => {
  it.each([
    ["pg: terminated by an administrator (57P01)", pgError("57P01")],
    ["pg: server crashed (57P02)", pgError("57P02")],
    ["pg: starting up (57P03)", pgError("57P03")],
    ["pg: connection failure (08006)", pgError("08006")],
    ["pg: its own words for a socket that closed", new Error("Connection terminated unexpectedly")],
    ["pg: a client that already broke", new Error("Client has encountered a connection error and is not queryable")],
    ["Prisma over the adapter (P2039 with 57P01)", prismaError("57P01")],
    ["Prisma: the adapter's ConnectionClosed", { name: "DriverAdapterError", cause: { kind: "ConnectionClosed" } }],
    ["Prisma: can't reach the server (P1001)", Object.assign(new Error("Can't reach database server"), { code: "P1001" })],
    ["a socket reset", Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" })],
    ["wrapped as the cause of another error", new Error("the change failed", { cause: pgError("57P01") })],
  ])("%s", (_name, error) => {
    expect(isConnectionLost(error)).toBe(true);
  });

  it.each([
    ["a unique violation", pgError("23505")],
    ["a serialization failure (the transaction retries itself)", pgError("40001")],
    ["Prisma's record not found", Object.assign(new Error("not found"), { code: "P2025" })],
    ["Prisma wrapping a check violation", prismaError("23514")],
    ["a plain error", new Error("boom")],
    ["not an error", "57P01"],
    ["null", null],
  ])("not %s", (_name, error) => {
    expect(isConnectionLost(error)).toBe(false);
  });

  it("follows a cycle of causes without looping", () => {
    const a = new Error("a") as Error & { cause?: unknown };
    a.cause = new Error("b", { cause: a });
    expect(isConnectionLost(a)).toBe(false);
  });
});
