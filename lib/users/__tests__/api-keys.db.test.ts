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
    const issued = await issueApiKey(db.prisma, adminActor, { name: "Evidence export", role: "auditor" });
    expect(issued.key).toMatch(/^cdk_[A-Za-z0-9_-]{43}$/);
    expect(issued.prefix).toBe(issued.key.slice(0, 12));
    const stored = await db.prisma.apiKey.findUniqueOrThrow({ where: { id: issued.id } });
    expect(stored).toMatchObject({ name: "Evidence export", role: "auditor", createdById: adminActor.id, revokedAt: null });
    expect(storedText(stored)).not.toContain(issued.key);
    expect(await authenticateApiKey(db.prisma, `Bearer ${issued.key}`)).toEqual({
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
    const issued = await issueApiKey(db.prisma, adminKeyActor, { name: "Made by a key", role: "marketer" });
    expect((await db.prisma.apiKey.findUniqueOrThrow({ where: { id: issued.id } })).createdById).toBeNull();
    expect((await auditEntries(db, issued.id))[0]).toMatchObject({ actorType: "api_key", actorId: adminKeyActor.id });
  });

  it("leaves no key when its audit entry cannot be written", async () => {
    const before = await db.prisma.apiKey.count();
    const restore = await failAuditInserts(db, "api_key.create");
    try {
      await expect(issueApiKey(db.prisma, adminActor, { name: "Never stored", role: "admin" })).rejects.toThrow();
    } finally {
      await restore();
    }
    expect(await db.prisma.apiKey.count()).toBe(before);
    expect(await db.prisma.apiKey.count({ where: { name: "Never stored" } })).toBe(0);
  });

  it("refuses a role without api_keys:manage", async () => {
    await expect(issueApiKey(db.prisma, marketerActor, { name: "Sneaky", role: "admin" })).rejects.toBeInstanceOf(AuthorizationError);
    expect(await db.prisma.apiKey.count({ where: { name: "Sneaky" } })).toBe(0);
  });
});

describe("revokeApiKey", () => {
  it("revokes the key at once and audits it; revoking again writes nothing", async () => {
    const issued = await issueApiKey(db.prisma, adminActor, { name: "CRM sync", role: "marketer" });
    // In use (so authentication has it cached) when it is revoked.
    expect(await authenticateApiKey(db.prisma, `Bearer ${issued.key}`)).toMatchObject({ id: issued.id });
    const result = await revokeApiKey(db.prisma, adminActor, { keyId: issued.id });
    expect(result.changed).toBe(true);
    expect(result.key.revokedAt).toBeInstanceOf(Date);
    expect(await authenticateApiKey(db.prisma, `Bearer ${issued.key}`)).toBeNull();

    const [created, revoked] = await auditEntries(db, issued.id);
    expect(created?.action).toBe("api_key.create");
    expect(revoked).toMatchObject({
      action: "api_key.revoke",
      actorId: adminActor.id,
      summary: { name: "CRM sync", role: "marketer", prefix: issued.prefix },
    });

    expect((await revokeApiKey(db.prisma, adminActor, { keyId: issued.id })).changed).toBe(false);
    expect(await auditEntries(db, issued.id)).toHaveLength(2);
  });

  it("says so for a key that does not exist, and writes nothing", async () => {
    const entries = await db.prisma.auditEntry.count();
    await expect(revokeApiKey(db.prisma, adminActor, { keyId: "00000000-0000-4000-8000-00000000ffff" })).rejects.toThrow(
      "This key no longer exists.",
    );
    expect(await db.prisma.auditEntry.count()).toBe(entries);
  });

  it("keeps the key working when the revocation's audit entry cannot be written", async () => {
    const issued = await issueApiKey(db.prisma, adminActor, { name: "Still valid", role: "auditor" });
    const restore = await failAuditInserts(db, "api_key.revoke");
    try {
      await expect(revokeApiKey(db.prisma, adminActor, { keyId: issued.id })).rejects.toThrow();
    } finally {
      await restore();
    }
    expect(await authenticateApiKey(db.prisma, `Bearer ${issued.key}`)).toMatchObject({ id: issued.id });
  });

  it("refuses a role without api_keys:manage", async () => {
    const issued = await issueApiKey(db.prisma, adminActor, { name: "Target", role: "auditor" });
    await expect(revokeApiKey(db.prisma, marketerActor, { keyId: issued.id })).rejects.toMatchObject({ status: 403 });
    expect((await db.prisma.apiKey.findUniqueOrThrow({ where: { id: issued.id } })).revokedAt).toBeNull();
  });
});
