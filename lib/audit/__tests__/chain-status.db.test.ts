import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { appendAudit } from "../append.ts";
import { auditChainStatus } from "../queries.ts";
import { alice, customerId } from "./fixtures.ts";

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
  await appendAudit({ actor: alice, action: "consent.change", target: { type: "customer", id: customerId(1) } }, db.prisma);
});

afterAll(async () => {
  vi.restoreAllMocks();
  await db?.dispose();
});

describe("auditChainStatus", () => {
  it("shares one check between concurrent viewers and reuses it for a minute, then checks again", async () => {
    const [a, b] = await Promise.all([auditChainStatus(), auditChainStatus()]);
    expect(a).toBe(b);
    expect(a.result).toEqual({ ok: true, entries: 1, chains: 1, lastId: "1" });

    await appendAudit({ actor: alice, action: "consent.change", target: { type: "customer", id: customerId(2) } }, db.prisma);
    expect(await auditChainStatus()).toBe(a);

    const now = Date.now();
    vi.spyOn(Date, "now").mockReturnValue(now + 61_000);
    const later = await auditChainStatus();
    expect(later).not.toBe(a);
    expect(later.result).toMatchObject({ ok: true, entries: 2 });
  });
});
