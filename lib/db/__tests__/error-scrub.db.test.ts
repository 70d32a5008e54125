import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";

// What a failed statement leaves in an error (and so in the server's logs):
// the statement and the code, never the values bound to it.

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.dispose());

const SECRET = "ana.secret@example.com";
const logged = (error: unknown) => inspect(error, { depth: 10, showHidden: true });

describe("database errors", () => {
  it("through the raw driver keep the statement and code, not the parameters or the detail", async () => {
    const insert = `INSERT INTO customers (external_id, email) VALUES ($1, $2)`;
    await db.driver.query(insert, ["scrub-1", SECRET]);
    const error = await db.driver.query(insert, ["scrub-1", SECRET]).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "23505" });
    expect(logged(error)).not.toContain(SECRET);
    expect(logged(error)).not.toContain("scrub-1");
  });

  it("inside a transaction too", async () => {
    const error = await db.driver
      .transaction((tx) => tx.query(`SELECT $1::uuid`, [SECRET]))
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toMatchObject({ code: "22P02" });
    expect(logged(error)).not.toMatch(/params|detail:/);
  });

  it("through Prisma carry no values either", async () => {
    await db.prisma.customer.create({ data: { externalId: "scrub-2", email: SECRET } });
    const error = await db.prisma.customer.create({ data: { externalId: "scrub-2", email: SECRET } }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).not.toBeNull();
    expect(logged(error)).not.toContain(SECRET);
    expect(logged(error)).not.toContain("scrub-2");
  });
});
