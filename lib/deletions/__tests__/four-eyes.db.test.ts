import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as approveRoute } from "../../../app/api/deletion-batches/[id]/approve/route.ts";
import { POST as rejectRoute } from "../../../app/api/deletion-batches/[id]/reject/route.ts";
import { GET as showRoute } from "../../../app/api/deletion-batches/[id]/route.ts";
import { POST as uploadRoute } from "../../../app/api/deletion-batches/route.ts";
import type { Actor } from "../../auth/actor.ts";
import { createApiKey } from "../../auth/api-keys.ts";
import { DEMO_PASSWORD, seedDemoUsers } from "../../seed/users.ts";
import { signInCookie } from "../../testing/surface.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { deletionBatchResultCsv, getDeletionBatch } from "../batches.ts";
import { approveDeletionBatch, uploadDeletionBatch } from "../bulk.ts";
import { requestDeletion } from "../erase.ts";
import { ApprovalRefusedError } from "../errors.ts";

// Four eyes means two people (lib/deletions/bulk-approval.ts): approving or
// rejecting is a signed-in person's act, never an API key's, and never the
// uploader's, nor the person's whose key uploaded; and the threshold counts
// one person's uploads over a rolling 24 hours, so splitting a file does not
// avoid it. Real sessions, real keys, the real route handlers.

let db: TestDatabase;
const people = { officer: "privacy@example.com", second: "privacy2@example.com", admin: "admin@example.com" } as const;
type Person = keyof typeof people;
const ids = {} as Record<Person, string>;
const cookies = {} as Record<Person, string>;
/** Each person's own API key (its creator recorded), and one made from the command line. */
const keys = {} as Record<Person | "cli", string>;

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
  await seedDemoUsers(db.prisma);
  for (const [person, email] of Object.entries(people) as Array<[Person, string]>) {
    const user = await db.prisma.user.findUniqueOrThrow({ where: { email }, select: { id: true, role: true } });
    ids[person] = user.id;
    cookies[person] = await signInCookie(email, DEMO_PASSWORD);
    keys[person] = (await createApiKey({ name: `${person}'s key`, role: "privacy_officer", createdById: user.id }, db.prisma)).key;
  }
  keys.cli = (await createApiKey({ name: "cli key", role: "privacy_officer", createdById: null }, db.prisma)).key;
});
afterAll(async () => db?.dispose());

const asKey = (who: Person | "cli") => ({ authorization: `Bearer ${keys[who]}` });
const asSession = (who: Person) => ({ cookie: cookies[who], "sec-fetch-site": "same-origin" });
const ctx = (id: string) => ({ params: Promise.resolve({ id }) });
const decide = (route: typeof approveRoute, id: string, headers: Record<string, string>) =>
  route(new Request(`http://localhost/api/deletion-batches/${id}/decide`, { method: "POST", headers }), ctx(id));
const statusOf = async (id: string) => (await getDeletionBatch(id))!.status;

async function customers(n: number): Promise<string[]> {
  const tag = randomUUID().slice(0, 8);
  const rows = await db.driver.query<{ external_id: string }>(
    `INSERT INTO customers (external_id, email) SELECT 'eyes-' || $1 || '-' || g, 'eyes.' || $1 || '.' || g || '@example.com'
     FROM generate_series(1, $2::int) g RETURNING external_id`,
    [tag, n],
  );
  return rows.map((r) => r.external_id);
}

const sessionActor = (who: Person): Actor => ({
  kind: "user",
  id: ids[who],
  label: people[who],
  role: "privacy_officer",
  ip: null,
  userAgent: "vitest",
});

async function uploadWithKey(who: Person | "cli", n: number): Promise<{ id: string; status: string }> {
  const response = await uploadRoute(
    new Request("http://localhost/api/deletion-batches", {
      method: "POST",
      headers: { ...asKey(who), "content-type": "text/csv" },
      body: (await customers(n)).join("\n"),
    }),
  );
  expect(response.status).toBe(201);
  return ((await response.json()) as { data: { id: string; status: string } }).data;
}

describe("approving a bulk deletion", () => {
  it("is refused to any API key: the uploader's own key, and a key of someone else", async () => {
    const batch = await uploadDeletionBatch({
      csv: (await customers(101)).join("\n"),
      fileName: "big.csv",
      actor: sessionActor("officer"),
    });
    expect(batch.status).toBe("awaiting_approval");
    for (const who of ["officer", "second", "cli"] as const) {
      for (const route of [approveRoute, rejectRoute]) {
        const refused = await decide(route, batch.id, asKey(who));
        expect(refused.status, who).toBe(403);
        expect(await refused.json()).toMatchObject({
          error: { code: "person_required", message: expect.stringMatching(/signed-in person/) },
        });
      }
    }
    await expect(approveDeletionBatch(batch.id, { ...sessionActor("second"), kind: "api_key", id: randomUUID() })).rejects.toBeInstanceOf(
      ApprovalRefusedError,
    );
    expect(await statusOf(batch.id)).toBe("awaiting_approval");

    const approved = await decide(approveRoute, batch.id, asSession("second"));
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({ data: { status: "queued", decided_by: { label: people.second } } });
  });

  it("is refused to the person whose key uploaded it, signed in; another person approves", async () => {
    const batch = await uploadWithKey("officer", 101);
    expect(batch.status).toBe("awaiting_approval");
    const own = await decide(approveRoute, batch.id, asSession("officer"));
    expect(own.status).toBe(409);
    expect(await own.json()).toMatchObject({ error: { code: "own_upload", message: expect.stringMatching(/An API key you created/) } });
    expect((await decide(rejectRoute, batch.id, asSession("officer"))).status).toBe(409);
    expect(await statusOf(batch.id)).toBe("awaiting_approval");
    expect((await decide(approveRoute, batch.id, asSession("admin"))).status).toBe(200);
    expect(await statusOf(batch.id)).toBe("queued");
  });
});

describe("the threshold", () => {
  it("counts one person's uploads over 24 hours: two of 60 by one person, the second waits; another person's does not", async () => {
    const me = { ...sessionActor("second"), id: randomUUID() }; // a person of this test's own, so no other test's upload counts
    const first = await uploadDeletionBatch({ csv: (await customers(60)).join("\n"), fileName: "part-1.csv", actor: me });
    expect(first).toMatchObject({ status: "queued", toErase: 60, recentToErase: 0 });
    const second = await uploadDeletionBatch({ csv: (await customers(60)).join("\n"), fileName: "part-2.csv", actor: me });
    expect(second).toMatchObject({ status: "awaiting_approval", toErase: 60, recentToErase: 60 });
    const someoneElse = { ...me, id: randomUUID() };
    expect(await uploadDeletionBatch({ csv: (await customers(60)).join("\n"), fileName: "other.csv", actor: someoneElse })).toMatchObject({
      status: "queued",
      recentToErase: 0,
    });
    // The batch page and the API say why it waits.
    const shown = await showRoute(
      new Request(`http://localhost/api/deletion-batches/${second.id}`, { headers: asKey("admin") }),
      ctx(second.id),
    );
    expect(await shown.json()).toMatchObject({ data: { status: "awaiting_approval", to_erase: 60, recent_to_erase: 60 } });
  });

  it("counts a key's uploads as its creator's, and a command-line key's as its own", async () => {
    const keyFirst = await uploadWithKey("admin", 60);
    expect(keyFirst.status).toBe("queued");
    // The admin, signed in, uploads the next 60 of the same day: with the key's, past 100.
    const session = await uploadDeletionBatch({
      csv: (await customers(60)).join("\n"),
      fileName: "more.csv",
      actor: sessionActor("admin"),
    });
    expect(session).toMatchObject({ status: "awaiting_approval", recentToErase: 60 });
    expect((await uploadWithKey("cli", 60)).status).toBe("queued");
    expect((await uploadWithKey("cli", 60)).status).toBe("awaiting_approval");
  });

  it("forgets an upload 24 hours later", async () => {
    const me = { ...sessionActor("officer"), id: randomUUID() };
    const first = await uploadDeletionBatch({ csv: (await customers(60)).join("\n"), fileName: "monday.csv", actor: me });
    await db.driver.query(`UPDATE deletion_batches SET created_at = now() - interval '24 hours 1 minute' WHERE id = $1`, [first.id]);
    expect(await uploadDeletionBatch({ csv: (await customers(60)).join("\n"), fileName: "tuesday.csv", actor: me })).toMatchObject({
      status: "queued",
      recentToErase: 0,
    });
  });

  it("counts two uploads made at the same moment one after the other: exactly one of them waits", async () => {
    const me = { ...sessionActor("officer"), id: randomUUID() };
    const [a, b] = [(await customers(60)).join("\n"), (await customers(60)).join("\n")];
    const both = await Promise.all([
      uploadDeletionBatch({ csv: a, fileName: "a.csv", actor: me }),
      uploadDeletionBatch({ csv: b, fileName: "b.csv", actor: me }),
    ]);
    expect(both.map((batch) => batch.status).sort()).toEqual(["awaiting_approval", "queued"]);
  });

  it("no longer counts a rejected upload", async () => {
    const me = { ...sessionActor("officer"), id: randomUUID() };
    const big = await uploadDeletionBatch({ csv: (await customers(101)).join("\n"), fileName: "big.csv", actor: me });
    expect(big.status).toBe("awaiting_approval");
    expect((await decide(rejectRoute, big.id, asSession("admin"))).status).toBe(200);
    expect(await uploadDeletionBatch({ csv: (await customers(10)).join("\n"), fileName: "small.csv", actor: me })).toMatchObject({
      status: "queued",
      recentToErase: 0,
    });
  });
});

describe("a rejected batch", () => {
  it("says a row's customer was erased meanwhile, not 'not erased', in the result CSV and the API", async () => {
    const list = await customers(101);
    const batch = await uploadDeletionBatch({ csv: list.join("\n"), fileName: "big.csv", actor: sessionActor("officer") });
    // The first customer is erased from the dashboard while the batch waits: under the batch's own request.
    const { request } = await requestDeletion({ customer: { externalId: list[0]! }, source: "dashboard", actor: sessionActor("second") });
    expect((await decide(rejectRoute, batch.id, asSession("second"))).status).toBe(200);
    const rows = (await deletionBatchResultCsv(batch.id))!.trim().split("\r\n").slice(1);
    expect(rows[0]!.split(",").slice(0, 3)).toEqual(["1", "already_erased", request.id]);
    expect(rows.slice(1).every((line) => line.split(",")[1] === "rejected")).toBe(true);
    expect(await getDeletionBatch(batch.id)).toMatchObject({ status: "rejected", counts: { already_erased: 1, pending: 100 } });
  });
});
