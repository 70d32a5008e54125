import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as approve } from "../../../app/api/deletion-batches/[id]/approve/route.ts";
import { POST as reject } from "../../../app/api/deletion-batches/[id]/reject/route.ts";
import { GET as result } from "../../../app/api/deletion-batches/[id]/result/route.ts";
import { GET as show } from "../../../app/api/deletion-batches/[id]/route.ts";
import { POST as upload } from "../../../app/api/deletion-batches/route.ts";
import { createApiKey } from "../../auth/api-keys.ts";
import { DEMO_PASSWORD, seedDemoUsers } from "../../seed/users.ts";
import { rowCounts, signInCookie } from "../../testing/surface.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { MAX_CSV_BYTES } from "../csv.ts";
import { createDeletionProcessor } from "../processor.ts";

// The bulk deletion routes end to end on a real database: upload in both
// body forms, status, approval by someone else, the result CSV, and the
// refusals (a malformed file, a 100 MB upload) that write and erase nothing.

let db: TestDatabase;
const keys: Record<"officer" | "second" | "auditor", string> = { officer: "", second: "", auditor: "" };

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
  keys.officer = (await createApiKey({ name: "bulk officer", role: "privacy_officer", createdById: null }, db.prisma)).key;
  keys.second = (await createApiKey({ name: "bulk second", role: "admin", createdById: null }, db.prisma)).key;
  keys.auditor = (await createApiKey({ name: "bulk auditor", role: "auditor", createdById: null }, db.prisma)).key;
  await seedDemoUsers(db.prisma);
  adminCookie = await signInCookie("admin@example.com", DEMO_PASSWORD);
});
afterAll(async () => db?.dispose());

let adminCookie = "";
const auth = (who: keyof typeof keys) => ({ authorization: `Bearer ${keys[who]}` });
/** A second person, signed in to the dashboard (an admin): who may approve. */
const secondPerson = () => ({ cookie: adminCookie, "sec-fetch-site": "same-origin" });
const ctx = (id: string) => ({ params: Promise.resolve({ id }) });
const post = (path: string, init: RequestInit & { headers: Record<string, string> }) =>
  new Request(`http://localhost${path}`, { method: "POST", ...init });

async function customers(n: number) {
  const tag = randomUUID().slice(0, 8);
  return db.driver.query<{ id: string; external_id: string }>(
    `INSERT INTO customers (external_id, email) SELECT 'route-' || $1 || '-' || g, 'route.' || $1 || '.' || g || '@example.com'
     FROM generate_series(1, $2::int) g RETURNING id, external_id`,
    [tag, n],
  );
}

describe("POST /api/deletion-batches", () => {
  it("takes text/csv with the regime in the query, and the batch reads back, processes, and downloads", async () => {
    const [a, b] = await customers(2);
    const body = `\uFEFFexternal_id\r\n${a!.external_id}\r\n"${b!.external_id}"\r\nnobody-${randomUUID()}\r\n`;
    const response = await upload(
      post("/api/deletion-batches?regime=ccpa&file_name=list.csv", { headers: { ...auth("officer"), "content-type": "text/csv" }, body }),
    );
    expect(response.status).toBe(201);
    const { data } = (await response.json()) as { data: { id: string; status: string; to_erase: number } };
    expect(data).toMatchObject({ status: "queued", to_erase: 2 });

    const before = (await (
      await show(new Request(`http://localhost/api/deletion-batches/${data.id}`, { headers: auth("auditor") }), ctx(data.id))
    ).json()) as {
      data: Record<string, unknown>;
    };
    expect(before.data).toMatchObject({
      regime: "ccpa",
      file_name: "list.csv",
      total_rows: 3,
      processed_rows: 1,
      counts: { not_found: 1, pending: 2 },
    });
    await createDeletionProcessor({ database: db, log: () => {} }).runOnce();
    const after = (await (
      await show(new Request(`http://localhost/api/deletion-batches/${data.id}`, { headers: auth("auditor") }), ctx(data.id))
    ).json()) as {
      data: Record<string, unknown>;
    };
    expect(after.data).toMatchObject({ status: "done", progress: 1, processed_rows: 3, counts: { erased: 2, pending: 0 } });

    const csv = await result(
      new Request(`http://localhost/api/deletion-batches/${data.id}/result`, { headers: auth("auditor") }),
      ctx(data.id),
    );
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]).toBe("row,outcome,request_id,message");
    expect(lines.slice(1).map((l) => l.split(",").slice(0, 2).join(","))).toEqual(["2,erased", "3,erased", "4,not_found"]);
  });

  it("takes a JSON envelope; more than 100 wait, no API key can approve (the uploader's neither), a second person signed in can", async () => {
    const list = await customers(101);
    const response = await upload(
      post("/api/deletion-batches", {
        headers: { ...auth("officer"), "content-type": "application/json" },
        body: JSON.stringify({ csv: list.map((c) => c.external_id).join("\n"), reason: "Asked by email" }),
      }),
    );
    expect(response.status).toBe(201);
    const { data } = (await response.json()) as { data: { id: string; status: string } };
    expect(data.status).toBe("awaiting_approval");
    const path = `/api/deletion-batches/${data.id}`;
    // Four eyes means two people: approving is a signed-in person's act, never a key's (lib/deletions/bulk-approval.ts).
    const own = await approve(post(`${path}/approve`, { headers: auth("officer") }), ctx(data.id));
    expect(own.status).toBe(403);
    expect(await own.json()).toMatchObject({ error: { code: "person_required", fields: { id: expect.stringMatching(/API key/) } } });
    expect((await approve(post(`${path}/approve`, { headers: auth("second") }), ctx(data.id))).status).toBe(403);
    expect((await approve(post(`${path}/approve`, { headers: auth("auditor") }), ctx(data.id))).status).toBe(403);
    const approved = await approve(post(`${path}/approve`, { headers: secondPerson() }), ctx(data.id));
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({ data: { status: "queued", decided_by: { label: "admin@example.com" } } });
    expect((await reject(post(`${path}/reject`, { headers: secondPerson() }), ctx(data.id))).status).toBe(409);
    const unknown = randomUUID();
    expect((await approve(post(`/api/deletion-batches/${unknown}/approve`, { headers: secondPerson() }), ctx(unknown))).status).toBe(404);
  });

  it("refuses a 100 MB upload with 413 before reading it whole, declared or not, writing nothing", async () => {
    const before = await rowCounts(db);
    const declared = await upload(
      post("/api/deletion-batches", {
        headers: { ...auth("officer"), "content-type": "text/csv", "content-length": String(100 * 1024 * 1024) },
        body: "x",
      }),
    );
    expect(declared.status).toBe(413);
    let sent = 0;
    const chunk = new TextEncoder().encode("customer-id-0000000000\n".repeat(2_800)); // ~64 KB
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 100 * 1024 * 1024) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const streamed = await upload(
      new Request("http://localhost/api/deletion-batches", {
        method: "POST",
        headers: { ...auth("officer"), "content-type": "text/csv" },
        body,
        duplex: "half",
      } as RequestInit),
    );
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toMatchObject({ error: { code: "payload_too_large", fields: { body: expect.any(String) } } });
    expect(sent).toBeLessThan(MAX_CSV_BYTES + 1024 * 1024);
    expect(await rowCounts(db)).toEqual(before);
  });

  it("refuses a malformed file, a bad parameter and an unknown field by name, writing and erasing nothing", async () => {
    const [c] = await customers(1);
    const before = await rowCounts(db);
    const csv = (body: BodyInit, query = "") =>
      upload(post(`/api/deletion-batches${query}`, { headers: { ...auth("officer"), "content-type": "text/csv" }, body }));
    const refused = async (response: Response, status: number, field: string) => {
      expect(response.status).toBe(status);
      const json = (await response.json()) as { error: { fields: Record<string, string> } };
      expect(Object.keys(json.error.fields)).toContain(field);
      return json;
    };
    await refused(await csv(new Uint8Array([0x65, 0xff, 0xfe, 0x0a])), 422, "file");
    await refused(await csv(`${c!.external_id}\n\u0000\n`), 422, "file");
    await refused(await csv("email\n\n"), 422, "file");
    await refused(await csv(`${c!.external_id}\n`, "?regime=hipaa"), 422, "regime");
    await refused(await csv(`${c!.external_id}\n`, "?colour=red"), 422, "colour");
    const json = (body: unknown) =>
      upload(
        post("/api/deletion-batches", { headers: { ...auth("officer"), "content-type": "application/json" }, body: JSON.stringify(body) }),
      );
    await refused(await json({ csv: c!.external_id, extra: true }), 422, "extra");
    await refused(await json({ csv: "" }), 422, "csv");
    await refused(
      await upload(post("/api/deletion-batches", { headers: { ...auth("officer"), "content-type": "text/plain" }, body: "x" })),
      415,
      "content-type",
    );
    expect(
      (await upload(post("/api/deletion-batches", { headers: { ...auth("auditor"), "content-type": "text/csv" }, body: c!.external_id })))
        .status,
    ).toBe(403);
    expect(await rowCounts(db)).toEqual({ ...before, audit_entries: before.audit_entries! + 1 }); // the auditor's refusal is logged
    const [kept] = await db.driver.query<{ erased_at: Date | null }>(`SELECT erased_at FROM customers WHERE id = $1`, [c!.id]);
    expect(kept!.erased_at).toBeNull();
  });
});
