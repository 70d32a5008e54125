import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "../../../app/api/audiences/[id]/send-preview/route.ts";
import { createApiKey } from "../../auth/api-keys.ts";
import type { Purpose } from "../../consent/purposes.ts";
import { evaluatePurpose } from "../../consent/rules.ts";
import { createAudience, createCustomer, type CustomerInput } from "../../seed/factories.ts";
import { seedDatabase } from "../../seed/index.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import type { Channel, MemberStatus } from "../../validations/audiences.ts";
import { listAudiencesWithMemberCounts } from "../queries.ts";
import { CHANNEL_SOURCES, getSendPreview, listPreviewMembers, type PreviewMember } from "../send-preview.ts";
import { consentFromJoinedRow, type JoinedConsentColumns } from "../../consent/model.ts";

let db: TestDatabase;
let key: string;
/** Hand-made members, one per case, named for what they test. */
let handMade: string;
const ids: Record<string, string> = {};
let combos: string;
let empty: string;

const CHANNELS = ["email", "push"] as const;

async function member(audienceId: string, label: string, input: CustomerInput) {
  const customer = await createCustomer(db.prisma, { name: label, ...input, audiences: [audienceId] });
  ids[label] = customer.id;
  return customer;
}

/** Sets a membership's contact copy by hand, for states the consent code would not leave. */
async function setCopy(audienceId: string, customerId: string, copy: { email?: string | null; pushToken?: string | null }) {
  await db.prisma.audienceMembership.update({ where: { audienceId_customerId: { audienceId, customerId } }, data: copy });
}

/** Every member walked page by page, forward. */
async function walk(audienceId: string, channel: Channel, status?: MemberStatus, pageSize = 7) {
  const seen: PreviewMember[] = [];
  let after: string | undefined;
  for (let i = 0; i < 500; i++) {
    const page = await listPreviewMembers(audienceId, channel, { status, after }, pageSize);
    seen.push(...page.members);
    if (!page.next) return seen;
    after = page.next;
  }
  throw new Error("pagination did not end");
}

type Expected = { customerId: string; status: "reachable" | "consent" | "no_contact"; linkTracking: boolean };

/** What lib/consent/rules.ts says for each member of an audience, read straight from the tables. */
async function expectedFromRules(audienceId: string, channel: Channel): Promise<Expected[]> {
  const { purpose, contact } = CHANNEL_SOURCES[channel];
  const rows = await db.driver.query<JoinedConsentColumns & { customer_id: string; contact: string | null }>(
    `SELECT am.customer_id, am.${contact} AS contact, cc.customer_id IS NOT NULL AS consent_recorded, cc.behavioral_campaigns,
       cc.email_marketing, cc.push_notifications, cc.coupon_campaigns, cc.punchcard_campaigns, cc.link_tracking, cc.vendors
     FROM audience_memberships am LEFT JOIN customer_consents cc ON cc.customer_id = am.customer_id
     WHERE am.audience_id = $1 ORDER BY am.customer_id`,
    [audienceId],
  );
  return rows.map((row) => {
    const consent = consentFromJoinedRow(row);
    const allowed = evaluatePurpose(consent, purpose as Purpose).allowed;
    return {
      customerId: row.customer_id,
      status: !allowed ? "consent" : row.contact === null ? "no_contact" : "reachable",
      linkTracking: evaluatePurpose(consent, "link_tracking").allowed,
    };
  });
}

function tally(expected: Expected[]) {
  const reachable = expected.filter((e) => e.status === "reachable");
  return {
    members: expected.length,
    reachable: reachable.length,
    skipped: {
      consent: expected.filter((e) => e.status === "consent").length,
      no_contact: expected.filter((e) => e.status === "no_contact").length,
    },
    link_tracking: { on: reachable.filter((e) => e.linkTracking).length, off: reachable.filter((e) => !e.linkTracking).length },
  };
}

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
  key = (await createApiKey({ name: "marketer key", role: "marketer", createdById: null }, db.prisma)).key;

  handMade = (await createAudience(db.prisma, "Send preview: hand-made")).id;
  await member(handMade, "not recorded", {});
  await member(handMade, "email true, tracking true", {
    consent: { purposes: { email_marketing: true, push_notifications: true, link_tracking: true } },
  });
  await member(handMade, "email true, tracking false", {
    consent: { purposes: { email_marketing: true, push_notifications: true, link_tracking: false } },
  });
  await member(handMade, "email true, tracking absent", { consent: { purposes: { email_marketing: true, push_notifications: false } } });
  await member(handMade, "email false", {
    consent: { purposes: { email_marketing: false, push_notifications: true, link_tracking: true } },
  });
  await member(handMade, "email absent", { consent: { purposes: { push_notifications: true, link_tracking: true } } });
  await member(handMade, "not recorded, no email, no push", { email: null, pushToken: null });
  await member(handMade, "email true, no email", { email: null, consent: { purposes: { email_marketing: true, link_tracking: true } } });
  // Consent blocks email but the copy was left behind: consent is the reason, not the copy.
  const stale = await member(handMade, "email false, copy left", { consent: { purposes: { email_marketing: false } } });
  await setCopy(handMade, stale.id, { email: stale.email, pushToken: stale.pushToken });
  // Consent allows email but the copy is missing though the profile has one.
  const uncopied = await member(handMade, "not recorded, copy missing", {});
  await setCopy(handMade, uncopied.id, { email: null });

  // Every combination of the channel purposes and link tracking, recorded or not, with and without contacts.
  combos = (await createAudience(db.prisma, "Send preview: combinations")).id;
  const values = [true, false, null] as const;
  let n = 0;
  for (const contacts of [true, false]) {
    await member(combos, `combo ${n++}`, contacts ? {} : { email: null, pushToken: null });
    for (const email of values) {
      for (const push of values) {
        for (const tracking of values) {
          await member(combos, `combo ${n++}`, {
            ...(contacts ? {} : { email: null, pushToken: null }),
            consent: { purposes: { email_marketing: email, push_notifications: push, link_tracking: tracking } },
          });
        }
      }
    }
  }
  // Copies left behind where consent blocks, on a few of them.
  await db.driver.query(
    `UPDATE audience_memberships am SET email = c.email, push_token = c.push_token FROM customers c
     WHERE am.customer_id = c.id AND am.audience_id = $1 AND c.name IN ('combo 5', 'combo 9', 'combo 14', 'combo 20')`,
    [combos],
  );

  empty = (await createAudience(db.prisma, "Send preview: empty")).id;
  // Seeded customers in seeded audiences, for a cross-check on generated data.
  await seedDatabase(db.driver, { customers: 300, eventsPerCustomer: 0, chunkSize: 300 });
});

afterAll(async () => db?.dispose());

describe("getSendPreview", () => {
  it("counts hand-made email members by reason", async () => {
    expect(await getSendPreview(handMade, "email")).toEqual({
      audience: { id: handMade, name: "Send preview: hand-made", description: null },
      channel: "email",
      members: 10,
      reachable: 4, // not recorded; true+tracking; true+no tracking; true+tracking absent
      skipped: { consent: 3, no_contact: 3 }, // false, absent, false with a copy left; no email twice, copy missing
      link_tracking: { on: 2, off: 2 },
    });
  });

  it("counts hand-made push members by reason", async () => {
    expect(await getSendPreview(handMade, "push")).toMatchObject({
      channel: "push",
      members: 10,
      // reachable: not recorded; true/true; true/false; email false; email absent; not recorded with the email copy missing
      reachable: 6,
      // blocked: the tracking-absent one (push false), "email true, no email" and "email false, copy left" (push never named)
      skipped: { consent: 3, no_contact: 1 },
      link_tracking: { on: 5, off: 1 },
    });
  });

  it("answers zero counts for an audience with no members and null for an unknown one", async () => {
    expect(await getSendPreview(empty, "push")).toMatchObject({
      members: 0,
      reachable: 0,
      skipped: { consent: 0, no_contact: 0 },
      link_tracking: { on: 0, off: 0 },
    });
    expect(await getSendPreview("11111111-2222-4333-8444-555555555555", "email")).toBeNull();
  });

  it.each(CHANNELS)("agrees with evaluatePurpose for every member of every audience (%s)", async (channel) => {
    const audiences = await db.prisma.audience.findMany({ select: { id: true } });
    expect(audiences.length).toBeGreaterThan(10);
    for (const { id } of audiences) {
      expect(await getSendPreview(id, channel)).toMatchObject(tally(await expectedFromRules(id, channel)));
    }
  });
});

describe("listPreviewMembers", () => {
  it.each(CHANNELS)("gives each member the status and link tracking the rules give (%s)", async (channel) => {
    for (const audience of [handMade, combos]) {
      const expected = await expectedFromRules(audience, channel);
      const seen = await walk(audience, channel);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.map((m) => ({ customerId: m.customerId, status: m.status, linkTracking: m.linkTracking }))).toEqual(expected);
      for (const m of seen) expect(m.channelDecision.allowed).toBe(m.status !== "consent");
    }
  });

  it("says why consent blocks and whether a missing copy was cleared or never there", async () => {
    const byId = new Map((await walk(handMade, "email", undefined, 25)).map((m) => [m.customerId, m]));
    expect(byId.get(ids["email false"]!)).toMatchObject({
      status: "consent",
      channelDecision: { allowed: false, reason: "denied" },
      hasContact: false,
      contactOnProfile: true,
    });
    expect(byId.get(ids["email absent"]!)).toMatchObject({ status: "consent", channelDecision: { allowed: false, reason: "not_named" } });
    expect(byId.get(ids["email false, copy left"]!)).toMatchObject({ status: "consent", hasContact: true });
    expect(byId.get(ids["not recorded, no email, no push"]!)).toMatchObject({
      status: "no_contact",
      channelDecision: { reason: "not_recorded" },
      contactOnProfile: false,
    });
    expect(byId.get(ids["not recorded, copy missing"]!)).toMatchObject({ status: "no_contact", hasContact: false, contactOnProfile: true });
    expect(byId.get(ids["email true, tracking false"]!)).toMatchObject({
      status: "reachable",
      linkTracking: false,
      name: "email true, tracking false",
    });
  });

  it.each(CHANNELS.flatMap((c) => (["reachable", "skipped", "consent", "no_contact"] as const).map((s) => [c, s] as const)))(
    "filters %s members by %s across pages",
    async (channel, status) => {
      const expected = (await expectedFromRules(combos, channel)).filter((e) =>
        status === "skipped" ? e.status !== "reachable" : e.status === status,
      );
      expect(expected.length).toBeGreaterThan(0);
      const seen = await walk(combos, channel, status, 4);
      expect(seen.map((m) => m.customerId)).toEqual(expected.map((e) => e.customerId));
    },
  );

  it("pages back with the previous cursor to the same rows, and stops at the first page", async () => {
    const first = await listPreviewMembers(combos, "push", {}, 10);
    const second = await listPreviewMembers(combos, "push", { after: first.next }, 10);
    expect(first.previous).toBeUndefined();
    expect(second.previous).toBe(second.members[0]!.customerId);
    const back = await listPreviewMembers(combos, "push", { before: second.previous }, 10);
    expect(back.members.map((m) => m.customerId)).toEqual(first.members.map((m) => m.customerId));
    expect(back.previous).toBeUndefined();
    expect(back.next).toBe(first.next);
  });

  it("answers an empty page for an audience with no members", async () => {
    expect(await listPreviewMembers(empty, "email")).toEqual({ members: [], next: undefined, previous: undefined });
  });
});

describe("listAudiencesWithMemberCounts", () => {
  it("lists every audience by name with its member count", async () => {
    const list = await listAudiencesWithMemberCounts();
    const names = list.map((a) => a.name);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(list.find((a) => a.id === handMade)?.members).toBe(10);
    expect(list.find((a) => a.id === combos)?.members).toBe(56);
    expect(list.find((a) => a.id === empty)?.members).toBe(0);
    const total = await db.prisma.audienceMembership.count();
    expect(list.reduce((sum, a) => sum + a.members, 0)).toBe(total);
  });
});

describe("GET /api/audiences/{id}/send-preview", () => {
  const call = (id: string, query: string, authorization: string | null = `Bearer ${key}`) =>
    GET(new Request(`http://localhost/api/audiences/${id}/send-preview${query}`, { headers: authorization ? { authorization } : {} }), {
      params: Promise.resolve({ id }),
    });

  it("answers the counts in a data envelope", async () => {
    const response = await call(handMade, "?channel=email");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: JSON.parse(JSON.stringify(await getSendPreview(handMade, "email"))) });
    const push = await (await call(handMade, "?channel=push")).json();
    expect(push.data).toMatchObject({
      channel: "push",
      members: 10,
      reachable: 6,
      skipped: { consent: 3, no_contact: 1 },
      link_tracking: { on: 5, off: 1 },
    });
  });

  it("answers 422 naming channel when it is missing or not email or push", async () => {
    for (const query of ["", "?channel=", "?channel=sms", "?channel=EMAIL"]) {
      const response = await call(handMade, query);
      expect(response.status).toBe(422);
      const body = await response.json();
      expect(body.error).toMatchObject({ code: "invalid_request", fields: { channel: expect.any(String) } });
      expect(Object.keys(body.error.fields)).toEqual(["channel"]);
    }
  });

  it("answers 404 for an unknown audience and for a malformed id", async () => {
    for (const id of ["11111111-2222-4333-8444-555555555555", "not-a-uuid", "%27%3B--"]) {
      const response = await call(id, "?channel=push");
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: "not_found", message: expect.any(String) } });
    }
  });

  it("answers 401 without credentials", async () => {
    expect((await call(handMade, "?channel=email", null)).status).toBe(401);
  });
});
