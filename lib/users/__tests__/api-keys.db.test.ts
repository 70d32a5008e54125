import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthorizationError } from "../../auth/actor.ts";
import { authenticateApiKey } from "../../auth/api-keys.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { seedDemoUsers } from "../../seed/users.ts";
import { issueApiKey, revokeApiKey } from "../api-keys.ts";
import { adminActor, adminKeyActor, auditEntries, failAuditInserts, marketerActor, storedText } from "./fixtures.ts";

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
  await seedDemoUsers(db.prisma);
});
afterAll(async () => db?.dispose());

describe("issueApiKey", () => {
  it("returns the key once, stores only its hash, and audits it without the key", async () => {
    const issued = await issueApiKey(adminActor, { name: "Evidence export", role: "auditor" }, db.prisma);
    expect(issued.key).toMatch(/^cdk_[A-Za-z0-9_-]{43}$/);
    expect(issued.prefix).toBe(issued.key.slice(0, 12));
    const stored = await db.prisma.apiKey.findUniqueOrThrow({ where: { id: issued.id } });
    expect(stored).toMatchObject({ name: "Evidence export", role: "auditor", createdById: adminActor.id, revokedAt: null });
    expect(storedText(stored)).not.toContain(issued.key);
    expect(await authenticateApiKey(`Bearer ${issued.key}`, db.prisma)).toEqual({
      id: issued.id,
      name: "Evidence export",
      role: "auditor",
    });

    const entries = await auditEntries(db, issued.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: "api_key.create", actorId: adminActor.id, targetType: "api_key" });
    expect(entries[0]!.summary).toEqual({ name: "Evidence export", role: "auditor", prefix: issued.prefix });
    expect(storedText(entries)).not.toContain(issued.key);
  });

  it("records no creator when an API key made it", async () => {
    const issued = await issueApiKey(adminKeyActor, { name: "Made by a key", role: "marketer" }, db.prisma);
    expect((await db.prisma.apiKey.findUniqueOrThrow({ where: { id: issued.id } })).createdById).toBeNull();
    expect((await auditEntries(db, issued.id))[0]).toMatchObject({ actorType: "api_key", actorId: adminKeyActor.id });
  });

  it("leaves no key when its audit entry cannot be written", async () => {
    const before = await db.prisma.apiKey.count();
    const restore = await failAuditInserts(db, "api_key.create");
    try {
      await expect(issueApiKey(adminActor, { name: "Never stored", role: "admin" }, db.prisma)).rejects.toThrow();
    } finally {
      await restore();
    }
    expect(await db.prisma.apiKey.count()).toBe(before);
    expect(await db.prisma.apiKey.count({ where: { name: "Never stored" } })).toBe(0);
  });

  it("refuses a role without api_keys:manage", async () => {
    await expect(issueApiKey(marketerActor, { name: "Sneaky", role: "admin" }, db.prisma)).rejects.toBeInstanceOf(AuthorizationError);
    expect(await db.prisma.apiKey.count({ where: { name: "Sneaky" } })).toBe(0);
  });
});

describe("revokeApiKey", () => {
  it("revokes the key at once and audits it; revoking again writes nothing", async () => {
    const issued = await issueApiKey(adminActor, { name: "CRM sync", role: "marketer" }, db.prisma);
    // In use (so authentication has it cached) when it is revoked.
    expect(await authenticateApiKey(`Bearer ${issued.key}`, db.prisma)).toMatchObject({ id: issued.id });
    const result = await revokeApiKey(adminActor, { keyId: issued.id }, db.prisma);
    expect(result.changed).toBe(true);
    expect(result.key.revokedAt).toBeInstanceOf(Date);
    expect(await authenticateApiKey(`Bearer ${issued.key}`, db.prisma)).toBeNull();

    const [created, revoked] = await auditEntries(db, issued.id);
    expect(created?.action).toBe("api_key.create");
    expect(revoked).toMatchObject({
      action: "api_key.revoke",
      actorId: adminActor.id,
      summary: { name: "CRM sync", role: "marketer", prefix: issued.prefix },
    });

    expect((await revokeApiKey(adminActor, { keyId: issued.id }, db.prisma)).changed).toBe(false);
    expect(await auditEntries(db, issued.id)).toHaveLength(2);
  });

  it("says so for a key that does not exist, and writes nothing", async () => {
    const entries = await db.prisma.auditEntry.count();
    await expect(revokeApiKey(adminActor, { keyId: "00000000-0000-4000-8000-00000000ffff" }, db.prisma)).rejects.toThrow(
      "This key no longer exists.",
    );
    expect(await db.prisma.auditEntry.count()).toBe(entries);
  });

  it("keeps the key working when the revocation's audit entry cannot be written", async () => {
    const issued = await issueApiKey(adminActor, { name: "Still valid", role: "auditor" }, db.prisma);
    const restore = await failAuditInserts(db, "api_key.revoke");
    try {
      await expect(revokeApiKey(adminActor, { keyId: issued.id }, db.prisma)).rejects.toThrow();
    } finally {
      await restore();
    }
    expect(await authenticateApiKey(`Bearer ${issued.key}`, db.prisma)).toMatchObject({ id: issued.id });
  });

  it("refuses a role without api_keys:manage", async () => {
    const issued = await issueApiKey(adminActor, { name: "Target", role: "auditor" }, db.prisma);
    await expect(revokeApiKey(marketerActor, { keyId: issued.id }, db.prisma)).rejects.toMatchObject({ status: 403 });
    expect((await db.prisma.apiKey.findUniqueOrThrow({ where: { id: issued.id } })).revokedAt).toBeNull();
  });
});
