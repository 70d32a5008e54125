import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../auth/actor.ts";
import { verifyAuditChain } from "../../audit/verify.ts";
import { createCustomer, type CustomerInput } from "../../seed/factories.ts";
import { seedDatabase } from "../../seed/index.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../../testing/test-database.ts";
import { changeConsent, getConsent } from "../change.ts";
import { ConsentConflictError, ConsentInputError, ConsentNotFoundError } from "../errors.ts";
import { everyPurpose, PURPOSE_FIELDS } from "../model.ts";
import { PURPOSES } from "../purposes.ts";

// Each effect of PRODUCT.md's "What a consent change does", against a real
// database: the record, the history entry, the membership contact copies, the
// queued integration signals and the audit entry, all in one transaction.

// Each test changes a customer of its own, so the tests hold in any order.
const ALL_ON = { purposes: everyPurpose(true), vendors: { meta: true, braze: true, warehouse: true } };
const EMAIL_OFF = { ...ALL_ON, purposes: { ...ALL_ON.purposes, email_marketing: false } };
const marketer: Actor = {
  kind: "user",
  id: "00000000-0000-4000-8000-0000000000aa",
  label: "marketer@example.com",
  role: "marketer",
  ip: null,
  userAgent: null,
};

let db: TestDatabase;
const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => db.driver.query<T>(sql, params);

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
  await seedDatabase(db.driver, { customers: 0, eventsPerCustomer: 0 });
});
afterAll(async () => db?.dispose());

let audienceIds: string[] = [];
/**
 * A customer of the calling test's own, in three audiences whose contact
 * copies follow `consent` (recorded at version 1; null: not recorded).
 */
async function ownCustomer(consent: CustomerInput["consent"]) {
  if (audienceIds.length === 0) audienceIds = (await q<{ id: string }>(`SELECT id FROM audiences ORDER BY name LIMIT 3`)).map((a) => a.id);
  expect(audienceIds).toHaveLength(3);
  const customer = await createCustomer(db.prisma, { consent, audiences: audienceIds });
  return { id: customer.id, email: customer.email!, pushToken: customer.pushToken! };
}

async function memberships(customerId: string) {
  return q<{ email: string | null; push_token: string | null }>(
    `SELECT email, push_token FROM audience_memberships WHERE customer_id = $1 ORDER BY audience_id`,
    [customerId],
  );
}
async function signals(customerId: string) {
  return q<{
    vendor: string;
    payload: { allowed: boolean; blocked_by: string[]; version: number };
    status: string;
    consent_change_id: string;
  }>(
    `SELECT i.vendor, s.payload, s.status, s.consent_change_id::text FROM integration_signals s JOIN integrations i ON i.id = s.integration_id
     WHERE s.customer_id = $1 ORDER BY s.created_at, i.vendor`,
    [customerId],
  );
}
async function history(customerId: string) {
  return q<{
    version: number;
    source: string;
    changed: string[];
    before: unknown;
    after: { purposes: Record<string, boolean | null>; vendors: Record<string, boolean> };
    reason: string | null;
    actor_label: string;
  }>(`SELECT version, source, changed, before, after, reason, actor_label FROM consent_changes WHERE customer_id = $1 ORDER BY version`, [
    customerId,
  ]);
}

describe("changeConsent", () => {
  it("turning email_marketing off clears email on every membership, notifies the integrations it blocks, and writes history and audit", async () => {
    const dana = await ownCustomer(ALL_ON);
    const before = await memberships(dana.id);
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((m) => m.email === dana.email)).toBe(true);
    const auditBefore = Number((await q<{ n: string }>(`SELECT count(*) AS n FROM audit_entries`))[0]!.n);

    const result = await changeConsent(
      {
        customer: { id: dana.id },
        patch: { purposes: { email_marketing: false } },
        expectedVersion: 1,
        source: "dashboard",
        actor: marketer,
        reason: "Asked at the till",
      },
      db,
    );

    expect(result.consent.version).toBe(2);
    expect(result.consent.state!.purposes.email_marketing).toBe(false);
    expect(result.consent.state!.purposes.push_notifications).toBe(true);
    expect(result.change?.changed).toEqual(["email_marketing"]);
    expect(result.effects.emailCleared).toBe(before.length);
    expect(result.effects.pushCleared).toBe(0);
    // Meta (behavioral + email) and Braze (email + push) use email_marketing; the warehouse uses no purpose.
    expect(result.effects.signals.map((s) => s.vendor).sort()).toEqual(["braze", "meta"]);

    const after = await memberships(dana.id);
    expect(after).toHaveLength(before.length);
    expect(after.every((m) => m.email === null)).toBe(true);
    expect(after.every((m) => m.push_token === dana.pushToken)).toBe(true);
    const queued = await signals(dana.id);
    expect(queued.map((s) => [s.vendor, s.status, s.payload.allowed, s.payload.blocked_by, s.payload.version])).toEqual([
      ["braze", "pending", false, ["email_marketing"], 2],
      ["meta", "pending", false, ["email_marketing"], 2],
    ]);
    const [entry] = (await history(dana.id)).slice(-1);
    expect(entry).toMatchObject({
      version: 2,
      source: "dashboard",
      changed: ["email_marketing"],
      reason: "Asked at the till",
      actor_label: "marketer@example.com",
    });
    expect(queued.length).toBeGreaterThan(0);
    expect(queued.every((s) => s.consent_change_id !== null)).toBe(true);
    const audit = await q<{ action: string; target_id: string; summary: { changed: string[] } }>(
      `SELECT action, target_id, summary FROM audit_entries ORDER BY id DESC LIMIT 1`,
    );
    expect(audit[0]).toMatchObject({ action: "consent.change", target_id: dana.id, summary: { changed: ["email_marketing"] } });
    expect(Number((await q<{ n: string }>(`SELECT count(*) AS n FROM audit_entries`))[0]!.n)).toBe(auditBefore + 1);
    expect((await verifyAuditChain(db.prisma)).ok).toBe(true);
  });

  it("turning email_marketing back on restores the email from the profile and notifies again", async () => {
    const dana = await ownCustomer(EMAIL_OFF);
    const result = await changeConsent(
      { customer: { id: dana.id }, patch: { purposes: { email_marketing: true } }, source: "dashboard", actor: marketer },
      db,
    );
    expect(result.consent.version).toBe(2);
    const after = await memberships(dana.id);
    expect(after.length).toBeGreaterThan(0);
    expect(result.effects.emailRestored).toBe(after.length);
    expect(after.every((m) => m.email === dana.email)).toBe(true);
    expect(result.effects.signals.map((s) => [s.vendor, s.allowed])).toEqual(
      expect.arrayContaining([
        ["braze", true],
        ["meta", true],
      ]),
    );
  });

  it("push_notifications off clears the push token only", async () => {
    const dana = await ownCustomer(ALL_ON);
    const result = await changeConsent(
      { customer: { id: dana.id }, patch: { purposes: { push_notifications: false } }, source: "api", actor: marketer },
      db,
    );
    expect(result.effects.pushCleared).toBeGreaterThan(0);
    expect(result.effects.emailCleared).toBe(0);
    const after = await memberships(dana.id);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((m) => m.push_token === null && m.email !== null)).toBe(true);
    expect(result.effects.signals.map((s) => s.vendor)).toEqual(["braze"]);
  });

  it("a vendor turned off signals only that vendor's integration", async () => {
    const dana = await ownCustomer(ALL_ON);
    const result = await changeConsent(
      { customer: { id: dana.id }, patch: { vendors: { warehouse: false } }, source: "api", actor: marketer },
      db,
    );
    expect(result.effects.signals.map((s) => s.vendor)).toEqual(["warehouse"]);
    expect(result.change?.changed).toEqual(["vendors.warehouse"]);
    expect(result.effects.emailCleared + result.effects.pushCleared).toBe(0);
  });

  it("a first change blocks what it does not name (rule 4), so email is cleared and every gated integration is told", async () => {
    const ana = await ownCustomer(null);
    expect((await getConsent({ id: ana.id }, db))?.state).toBeNull();
    const result = await changeConsent(
      { customer: { id: ana.id }, patch: { purposes: { behavioral_campaigns: true } }, expectedVersion: 0, source: "api", actor: marketer },
      db,
    );
    expect(result.consent).toMatchObject({ state: expect.any(Object), version: 1 });
    expect(result.consent.state!.purposes).toEqual({
      behavioral_campaigns: true,
      email_marketing: null,
      push_notifications: null,
      coupon_campaigns: null,
      punchcard_campaigns: null,
      link_tracking: null,
    });
    expect(result.consent.state!.vendors).toEqual({});
    const anaMemberships = await memberships(ana.id);
    expect(anaMemberships.length).toBeGreaterThan(0);
    expect(anaMemberships.every((m) => m.email === null && m.push_token === null)).toBe(true);
    expect(result.effects.signals.map((s) => s.vendor).sort()).toEqual(["braze", "meta", "warehouse"]);
    const [entry] = await history(ana.id);
    expect(entry!.before).toBeNull();
    // Every purpose, and every integration's vendor: each was allowed (not recorded) and is now not named.
    expect(entry!.changed).toEqual([
      "behavioral_campaigns",
      "email_marketing",
      "push_notifications",
      "coupon_campaigns",
      "punchcard_campaigns",
      "link_tracking",
      "vendors.braze",
      "vendors.meta",
      "vendors.warehouse",
    ]);
  });

  it("a first change may record everything else as allowed instead, with no effect but the recording", async () => {
    // Chen is recorded; make a fresh not-recorded customer for this case.
    const [{ id }] = (await q<{ id: string }>(
      `INSERT INTO customers (external_id, name, email, push_token) VALUES ('first-keep', 'Kim', 'kim@example.com', 'fcm:kim') RETURNING id`,
    )) as [{ id: string }];
    await q(
      `INSERT INTO audience_memberships (audience_id, customer_id, email, push_token) SELECT id, $1, 'kim@example.com', 'fcm:kim' FROM audiences LIMIT 2`,
      [id],
    );
    const result = await changeConsent(
      {
        customer: { externalId: "first-keep" },
        patch: { purposes: { link_tracking: false } },
        expectedVersion: 0,
        firstChange: "keep_allowed",
        source: "dashboard",
        actor: marketer,
      },
      db,
    );
    expect(result.consent.state!.purposes).toEqual({
      behavioral_campaigns: true,
      email_marketing: true,
      push_notifications: true,
      coupon_campaigns: true,
      punchcard_campaigns: true,
      link_tracking: false,
    });
    expect(result.consent.state!.vendors).toEqual({ braze: true, meta: true, warehouse: true });
    expect(result.effects).toMatchObject({ emailCleared: 0, pushCleared: 0, signals: [] });
    const kept = await memberships(id);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.every((m) => m.email === "kim@example.com")).toBe(true);
  });

  it("a change that changes nothing writes nothing and keeps the version", async () => {
    const bruno = await ownCustomer(EMAIL_OFF);
    const before = await history(bruno.id);
    const result = await changeConsent(
      { customer: { id: bruno.id }, patch: { purposes: { email_marketing: false } }, source: "api", actor: marketer },
      db,
    );
    expect(result.change).toBeNull();
    expect(result.consent.version).toBe(1);
    expect(await history(bruno.id)).toEqual(before);
  });

  it("refuses a stale version with the fresh state, an unknown vendor by name, and an unknown customer; nothing written", async () => {
    const chen = await ownCustomer(ALL_ON);
    const count = async () => (await q<{ n: string }>(`SELECT count(*) AS n FROM consent_changes`))[0]!.n;
    const n = await count();
    const stale = changeConsent(
      {
        customer: { id: chen.id },
        patch: { purposes: { email_marketing: false } },
        expectedVersion: 7,
        source: "dashboard",
        actor: marketer,
      },
      db,
    );
    await expect(stale).rejects.toBeInstanceOf(ConsentConflictError);
    await stale.catch((e: ConsentConflictError) =>
      expect(e.current).toMatchObject({ version: 1, state: { purposes: { email_marketing: true } } }),
    );
    await expect(
      changeConsent({ customer: { id: chen.id }, patch: { vendors: { tiktok: true } }, source: "api", actor: marketer }, db),
    ).rejects.toEqual(new ConsentInputError({ "vendors.tiktok": 'Unknown vendor "tiktok": no integration has it.' }));
    await expect(
      changeConsent(
        { customer: { externalId: "nobody" }, patch: { purposes: { email_marketing: true } }, source: "api", actor: marketer },
        db,
      ),
    ).rejects.toBeInstanceOf(ConsentNotFoundError);
    expect(await count()).toBe(n);
  });

  it.runIf(testDatabaseKind() === "postgres")(
    "a change overtaken between its read and its write writes nothing stale: it is made again under the lock, on the fresh state",
    async () => {
      const chen = await ownCustomer(ALL_ON);
      const start = (await getConsent({ id: chen.id }, db))!;
      const auditBefore = Number((await q<{ n: string }>(`SELECT count(*) AS n FROM audit_entries WHERE target_id = $1`, [chen.id]))[0]!.n);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      // Another writer: holds the customer row and has moved the record on, not yet committed.
      const other = db.driver.transaction(async (tx) => {
        await tx.query(`SELECT 1 FROM customers WHERE id = $1 FOR NO KEY UPDATE`, [chen.id]);
        await tx.query(
          `UPDATE customer_consents SET version = version + 1, link_tracking = NOT coalesce(link_tracking, false) WHERE customer_id = $1`,
          [chen.id],
        );
        locked();
        await held;
      });
      await isLocked;
      const change = changeConsent(
        {
          customer: { id: chen.id },
          patch: { purposes: { coupon_campaigns: !start.state!.purposes.coupon_campaigns } },
          source: "api",
          actor: marketer,
        },
        db,
      );
      // Its unlocked read saw the old version; its write now waits for the customer row.
      for (let i = 0; i < 100; i++) {
        const [waiting] = await q<{ n: string }>(
          `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        if (Number(waiting!.n) > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      release();
      await other;
      const result = await change;

      expect(result.consent.version).toBe(start.version + 2);
      // Built on what the other writer committed, not on what it read first.
      expect(result.consent.state!.purposes.link_tracking).toBe(!start.state!.purposes.link_tracking);
      expect(result.consent.state!.purposes.coupon_campaigns).toBe(!start.state!.purposes.coupon_campaigns);
      const latest = (await history(chen.id)).at(-1)!;
      expect(latest).toMatchObject({ version: start.version + 2, changed: ["coupon_campaigns"] });
      expect((latest.before as { purposes: Record<string, boolean | null> }).purposes.link_tracking).toBe(
        !start.state!.purposes.link_tracking,
      );
      // One audit entry for the one change: the stale attempt wrote none.
      expect(Number((await q<{ n: string }>(`SELECT count(*) AS n FROM audit_entries WHERE target_id = $1`, [chen.id]))[0]!.n)).toBe(
        auditBefore + 1,
      );
      expect((await verifyAuditChain(db.prisma)).ok).toBe(true);
    },
  );

  it.runIf(testDatabaseKind() === "postgres")(
    "two simultaneous changes from the same version: one applies, one conflicts, one history entry",
    async () => {
      // Push never named, so both values are changes and both must race for the one version.
      const chen = await ownCustomer({ ...ALL_ON, purposes: { ...ALL_ON.purposes, push_notifications: null } });
      const start = (await getConsent({ id: chen.id }, db))!.version;
      const attempts = await Promise.allSettled(
        [false, true].map((value) =>
          changeConsent(
            {
              customer: { id: chen.id },
              patch: { purposes: { push_notifications: value } },
              expectedVersion: start,
              source: "api",
              actor: marketer,
            },
            db,
          ),
        ),
      );
      expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(1);
      const rejected = attempts.filter((a) => a.status === "rejected");
      expect(rejected).toHaveLength(1);
      expect((rejected[0] as PromiseRejectedResult).reason).toBeInstanceOf(ConsentConflictError);
      expect((await history(chen.id)).filter((h) => h.version > start)).toHaveLength(1);
    },
  );

  it.runIf(testDatabaseKind() === "postgres")(
    "twenty simultaneous changes without a version apply one after the other: versions without gaps, no lost update",
    async () => {
      const bruno = await ownCustomer(ALL_ON);
      const start = (await getConsent({ id: bruno.id }, db))!.version;
      const values = Array.from({ length: 20 }, (_, i) => i % 2 === 0);
      // Each change also names its own consent timestamp, so every one of them changes something and must apply.
      const results = await Promise.all(
        values.map((value, i) =>
          changeConsent(
            {
              customer: { id: bruno.id },
              patch: { purposes: { coupon_campaigns: value }, consentTimestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, i)) },
              source: "api",
              actor: marketer,
            },
            db,
          ),
        ),
      );
      expect(results.every((r) => r.change !== null)).toBe(true);
      expect(results.map((r) => r.change!.version).sort((a, b) => a - b)).toEqual(values.map((_, i) => start + 1 + i));
      const entries = (await history(bruno.id)).filter((h) => h.version > start);
      expect(entries).toHaveLength(20);
      // Each entry's before is the previous entry's after: the chain of versions has no gap.
      expect(entries.map((e) => e.version)).toEqual(entries.map((_, i) => start + 1 + i));
      for (let i = 1; i < entries.length; i++) expect(entries[i]!.before).toEqual(entries[i - 1]!.after);
      const last = results.find((r) => r.change!.version === start + 20)!;
      const stored = (await getConsent({ id: bruno.id }, db))!;
      expect(stored.version).toBe(start + 20);
      // No lost update: what is stored is what the last change wrote.
      expect(stored.state!.purposes.coupon_campaigns).toBe(last.consent.state!.purposes.coupon_campaigns);
      expect(stored.consentTimestamp).toEqual(last.consent.consentTimestamp);
      // Whichever way each went (first try, or again under the lock), one audit entry per change and the chains intact.
      const audited = await q<{ n: string }>(
        `SELECT count(*) AS n FROM audit_entries WHERE target_id = $1 AND (summary->>'version')::int > $2`,
        [bruno.id, start],
      );
      expect(Number(audited[0]!.n)).toBe(entries.length);
      expect((await verifyAuditChain(db.prisma)).ok).toBe(true);
    },
  );

  it("writes each purpose to its own column: a reordered column or parameter list would misplace a value", async () => {
    for (const purpose of PURPOSES) {
      const customer = await createCustomer(db.prisma, { consent: { purposes: everyPurpose(true) } });
      await changeConsent({ customer: { id: customer.id }, patch: { purposes: { [purpose]: false } }, source: "api", actor: marketer }, db);
      const row = await db.prisma.customerConsent.findUniqueOrThrow({ where: { customerId: customer.id } });
      const stored = Object.fromEntries(PURPOSES.map((p) => [p, row[PURPOSE_FIELDS[p]]]));
      expect(stored).toEqual({ ...everyPurpose(true), [purpose]: false });
      expect((await history(customer.id)).at(-1)!.after.purposes).toEqual(stored);
    }
  });

  it("history is append-only", async () => {
    await expect(q(`UPDATE consent_changes SET reason = 'edited'`)).rejects.toThrow(/append-only/);
    await expect(q(`DELETE FROM consent_changes`)).rejects.toThrow(/append-only/);
  });
});
