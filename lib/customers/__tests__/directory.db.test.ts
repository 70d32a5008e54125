import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PURPOSES } from "../../consent/purposes.ts";
import { evaluatePurpose, evaluateVendor } from "../../consent/rules.ts";
import { createAudience, createCustomer } from "../../seed/factories.ts";
import { seedDatabase } from "../../seed/index.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { parseDirectoryParams, type DirectoryParams } from "../../validations/directory.ts";
import { listIntegrationVendors } from "../../integrations/queries.ts";
import { summarizeConsent } from "../consent-summary.ts";
import { requestDeletion } from "../../deletions/erase.ts";
import { listCustomers } from "../directory.ts";
import { type DirectoryCustomer } from "../types.ts";
import { consentFromJoinedRow, type JoinedConsentColumns } from "../../consent/model.ts";

let db: TestDatabase;
let all: Array<{ id: string; created_at: Date; name_search: string | null; email: string | null } & JoinedConsentColumns>;
let vipAudience: string;

const params = (raw: Record<string, string> = {}): DirectoryParams => {
  const result = parseDirectoryParams(raw);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.params;
};

/** Walks every page forward and returns the customers in order. */
async function walk(raw: Record<string, string>, pageSize = 37) {
  const seen: DirectoryCustomer[] = [];
  let after: string | undefined;
  for (let i = 0; i < 1000; i++) {
    const page = await listCustomers(params({ ...raw, ...(after ? { after } : {}) }), pageSize);
    seen.push(...page.customers);
    if (!page.next) return seen;
    after = page.next;
  }
  throw new Error("pagination did not end");
}

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
  await seedDatabase(db.driver, { customers: 400, eventsPerCustomer: 1, chunkSize: 150 });
  vipAudience = (await db.prisma.audience.findFirstOrThrow({ where: { name: "VIP members" } })).id;
  const special = await createAudience(db.prisma, "Directory test audience");
  await createCustomer(db.prisma, {
    name: "Zoë Percent",
    email: "100%_real@example.test",
    externalId: "ext_100%",
    audiences: [special.id],
  });
  await createCustomer(db.prisma, { name: "Zoë Underscore", email: "100xreal@example.test", externalId: "ext_100x" });
  all = await db.driver.query(
    `SELECT c.id, c.created_at, c.name_search, c.email, cc.customer_id IS NOT NULL AS consent_recorded, cc.behavioral_campaigns,
       cc.email_marketing, cc.push_notifications, cc.coupon_campaigns, cc.punchcard_campaigns, cc.link_tracking, cc.vendors
     FROM customers c LEFT JOIN customer_consents cc ON cc.customer_id = c.id`,
  );
});

afterAll(async () => db?.dispose());

describe("listCustomers", () => {
  it("pages through everyone, newest first, each customer once", async () => {
    const seen = await walk({});
    expect(seen).toHaveLength(all.length);
    expect(new Set(seen.map((c) => c.id)).size).toBe(all.length);
    const times = seen.map((c) => c.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("pages back with the previous cursor to the same rows", async () => {
    const first = await listCustomers(params(), 25);
    const second = await listCustomers(params({ after: first.next! }), 25);
    expect(second.previous).toBeDefined();
    const back = await listCustomers(params({ before: second.previous! }), 25);
    expect(back.customers.map((c) => c.id)).toEqual(first.customers.map((c) => c.id));
    expect(back.previous).toBeUndefined();
    expect(first.previous).toBeUndefined();
  });

  it("sorts by name across pages", async () => {
    const seen = await walk({ sort: "name" }, 50);
    const names = seen.map((c) => c.name!.toLowerCase());
    expect(names.length).toBeGreaterThan(0);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(seen).toHaveLength(all.filter((c) => c.name_search !== null).length);
  });

  it.each(
    PURPOSES.flatMap(
      (p) =>
        [
          [p, "allowed"],
          [p, "blocked"],
        ] as const,
    ),
  )("filters %s %s exactly as the consent rules evaluate it", async (purpose, state) => {
    const seen = await walk({ purpose, purposeState: state }, 80);
    const expected = all.filter((c) => evaluatePurpose(consentFromJoinedRow(c), purpose).allowed === (state === "allowed"));
    expect(seen.map((c) => c.id).sort()).toEqual(expected.map((c) => c.id).sort());
    expect(expected.length).toBeGreaterThan(0);
  });

  it.each([
    ["meta", "allowed"],
    ["meta", "blocked"],
    ["warehouse", "blocked"],
  ] as const)("filters vendor %s %s exactly as the rules evaluate it", async (vendor, state) => {
    const seen = await walk({ vendor, vendorState: state }, 80);
    const expected = all.filter((c) => evaluateVendor(consentFromJoinedRow(c), vendor).allowed === (state === "allowed"));
    expect(expected.length).toBeGreaterThan(0);
    expect(seen.map((c) => c.id).sort()).toEqual(expected.map((c) => c.id).sort());
  });

  it("summarises every vendor-blocked customer as blocking that vendor, by its integration's name, never as all allowed", async () => {
    const integrations = await listIntegrationVendors();
    const meta = integrations.find((i) => i.vendor === "meta");
    expect(meta?.name).toBe("Meta Custom Audiences");
    const seen = await walk({ vendor: "meta", vendorState: "blocked" }, 80);
    expect(seen.length).toBeGreaterThan(10);
    const wrong = seen.flatMap((c) => {
      const summary = summarizeConsent(c.consent, integrations);
      const labels = summary.recorded ? summary.blocked.map((b) => b.label) : [];
      return labels.includes("Meta Custom Audiences") ? [] : [{ id: c.id, summary }];
    });
    expect(wrong).toEqual([]);
  });

  it("filters by consent recorded and not recorded", async () => {
    const recorded = await walk({ consent: "recorded" }, 100);
    const notRecorded = await walk({ consent: "not_recorded" }, 100);
    expect(recorded.length).toBeGreaterThan(0);
    expect(recorded.every((c) => c.consent !== null)).toBe(true);
    expect(notRecorded.every((c) => c.consent === null)).toBe(true);
    expect(recorded.length + notRecorded.length).toBe(all.length);
    expect(notRecorded.length).toBeGreaterThan(0);
  });

  it("filters by audience and combines filters", async () => {
    const members = await db.driver.query<{ customer_id: string }>(
      `SELECT m.customer_id FROM audience_memberships m JOIN customer_consents cc ON cc.customer_id = m.customer_id
        WHERE m.audience_id = $1 AND cc.email_marketing IS NOT TRUE`,
      [vipAudience],
    );
    expect(members.length).toBeGreaterThan(0);
    const seen = await walk({ audience: vipAudience, purpose: "email_marketing", purposeState: "blocked" }, 20);
    expect(seen.map((c) => c.id).sort()).toEqual(members.map((m) => m.customer_id).sort());
  });

  it("searches email by prefix (case-insensitive), sorted by email, and exactly", async () => {
    const target = all.find((c) => c.email?.startsWith("ana."))!;
    const prefix = target.email!.slice(0, 6).toUpperCase();
    const page = await listCustomers(params({ q: prefix, field: "email" }));
    expect(page.search).toEqual({ field: "email", term: prefix.toLowerCase() });
    expect(page.customers.length).toBeGreaterThan(0);
    expect(page.customers.every((c) => c.email!.startsWith(prefix.toLowerCase()))).toBe(true);
    const emails = page.customers.map((c) => c.email!);
    expect(emails).toEqual([...emails].sort());
    const exact = await listCustomers(params({ q: target.email!, match: "exact" }));
    expect(exact.customers.map((c) => c.id)).toEqual([target.id]);
  });

  it("treats % and _ in a search as plain characters", async () => {
    const page = await listCustomers(params({ q: "100%", field: "email" }));
    expect(page.customers.map((c) => c.email)).toEqual(["100%_real@example.test"]);
    const ext = await listCustomers(params({ q: "ext_100%", field: "external_id" }));
    expect(ext.customers.map((c) => c.externalId)).toEqual(["ext_100%"]);
  });

  it("searches names by prefix ignoring case, phones ignoring punctuation, external ids", async () => {
    const byName = await listCustomers(params({ q: "zoë" }));
    expect(byName.search?.field).toBe("name");
    expect(byName.customers.map((c) => c.name).sort()).toEqual(["Zoë Percent", "Zoë Underscore"]);
    const phone = (await db.prisma.customer.findFirstOrThrow({ where: { externalId: "cus_00000007" } })).phone!;
    const spaced = `${phone.slice(0, 2)} (${phone.slice(2, 5)}) ${phone.slice(5, 8)}-${phone.slice(8)}`;
    const byPhone = await listCustomers(params({ q: spaced }));
    expect(byPhone.search?.field).toBe("phone");
    expect(byPhone.customers.map((c) => c.externalId)).toContain("cus_00000007");
    const byExternal = await listCustomers(params({ q: "cus_0000001", field: "external_id" }));
    expect(byExternal.customers.map((c) => c.externalId)).toEqual(Array.from({ length: 10 }, (_, i) => `cus_0000001${i}`));
  });

  it("answers an empty page, not an error, when nothing matches", async () => {
    const page = await listCustomers(params({ q: "nobody-by-this-name@nowhere.test" }));
    expect(page).toMatchObject({ customers: [], next: undefined, previous: undefined });
  });
  // Last: it erases customers the walks above count.
  it("leaves erased customers out of every listing: newest and oldest, filters, audiences", async () => {
    const erased = await createCustomer(db.prisma, { name: "Zoë Erased", email: "erased@example.test", audiences: [vipAudience] });
    await db.driver.query(`INSERT INTO customer_consents (customer_id, version, email_marketing, vendors) VALUES ($1, 1, false, '{}')`, [
      erased.id,
    ]);
    const ids = async (raw: Record<string, string>) => (await walk(raw, 100)).map((c) => c.id);
    const views: Array<Record<string, string>> = [
      {},
      { sort: "oldest" },
      { consent: "recorded" },
      { audience: vipAudience },
      { purpose: "email_marketing", purposeState: "blocked" },
    ];
    for (const raw of views) expect(await ids(raw), JSON.stringify(raw)).toContain(erased.id);
    const officer = {
      kind: "user",
      id: "00000000-0000-4000-8000-0000000000e1",
      label: "officer@example.com",
      role: "privacy_officer",
    } as const;
    await requestDeletion({ customer: { id: erased.id }, source: "dashboard", actor: { ...officer, ip: null, userAgent: null } });
    for (const raw of views) expect(await ids(raw), JSON.stringify(raw)).not.toContain(erased.id);
    expect((await listCustomers(params({ q: "zoë" }))).customers.map((c) => c.name).sort()).toEqual(["Zoë Percent", "Zoë Underscore"]);
    expect(await ids({})).toHaveLength(all.length);
  });
});
