import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getList } from "../../../app/api/deletion-requests/route.ts";
import { GET as getOne } from "../../../app/api/deletion-requests/[id]/route.ts";
import { GET as getReceipt } from "../../../app/api/deletion-requests/[id]/receipt/route.ts";
import { POST as postExtension } from "../../../app/api/deletion-requests/[id]/extension/route.ts";
import { createApiKey } from "../../auth/api-keys.ts";
import type { Role } from "../../auth/permissions.ts";
import { insertIntegration } from "../../integrations/__tests__/fixtures.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { requestDeletion } from "../erase.ts";
import { customerRetention } from "../retention.ts";
import { identifierHash } from "../tombstone.ts";
import { insertRichCustomer, officer } from "./fixtures.ts";
import { insertRequest } from "./request-fixtures.ts";

let db: TestDatabase;
const keys = {} as Record<Role, string>;

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
  for (const role of ["admin", "privacy_officer", "marketer", "auditor"] as const)
    keys[role] = (await createApiKey({ name: `${role} key`, role, createdById: null }, db.prisma)).key;
});
afterAll(async () => {
  await db.dispose();
});

type Body = { data?: Record<string, unknown>; error?: { code: string; message: string; fields?: Record<string, string> } };
const context = (id: string) => ({ params: Promise.resolve({ id }) });
const get = (path: string, role?: Role) =>
  new Request(`http://localhost${path}`, { headers: role ? { authorization: `Bearer ${keys[role]}` } : {} });
const post = (path: string, role: Role, body: unknown, type = "application/json") =>
  new Request(`http://localhost${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${keys[role]}`, "content-type": type },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
const json = async (response: Response) => (await response.json()) as Body;
const state = async (id: string) => ({
  request: await db.driver.query(`SELECT extension, extension_reason, due_at, extended_at FROM deletion_requests WHERE id = $1`, [id]),
  audit: (await db.driver.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_entries`))[0]!.n,
});

describe("GET /api/deletion-requests", () => {
  it("lists for deletions:read (auditors too), refuses others, and names a bad parameter", async () => {
    const id = await insertRequest(db, { receivedAt: new Date("2025-05-01T10:00:00Z"), regime: "ccpa", source: "api" });
    expect((await getList(get("/api/deletion-requests"))).status).toBe(401);
    expect((await getList(get("/api/deletion-requests", "marketer"))).status).toBe(403);
    const ok = await getList(get("/api/deletion-requests?regime=ccpa&source=api&from=2025-05-01&to=2025-05-02", "auditor"));
    expect(ok.status).toBe(200);
    const body = (await json(ok)).data as { deletion_requests: Array<Record<string, unknown>>; next: string | null };
    expect(body.deletion_requests.map((r) => r.id)).toEqual([id]);
    expect(body.deletion_requests[0]).toMatchObject({ regime: "ccpa", source: "api", status: "received", deadline: "overdue" });
    expect(body.next).toBeNull();

    const bad = await getList(get("/api/deletion-requests?deadline=late&limit=0", "admin"));
    expect(bad.status).toBe(422);
    expect(Object.keys((await json(bad)).error!.fields!).sort()).toEqual(["deadline", "limit"]);
  });
});

describe("GET /api/deletion-requests/{id}", () => {
  it("answers the status and each integration's delivery; 404 for an unknown or malformed id", async () => {
    await insertIntegration(db, { name: "Braze (routes)" });
    const c = await insertRichCustomer(db);
    const { request } = await requestDeletion({ customer: { id: c.id }, source: "api", actor: officer });
    const ok = await getOne(get(`/api/deletion-requests/${request.id}`, "auditor"), context(request.id));
    expect(ok.status).toBe(200);
    const data = (await json(ok)).data!;
    expect(data).toMatchObject({ id: request.id, status: "erased", regime: "gdpr", extension_unit: "months", max_extension: 2 });
    expect((data.deliveries as Array<Record<string, unknown>>).map((d) => d.status)).toContain("pending");
    expect(data.deliveries).toEqual(
      expect.arrayContaining([expect.objectContaining({ integration: expect.objectContaining({ name: "Braze (routes)" }), attempts: 0 })]),
    );
    for (const id of ["00000000-0000-4000-8000-00000000dead", "garbage", "a\u0000b"]) {
      const missing = await getOne(get(`/api/deletion-requests/${encodeURIComponent(id)}`, "admin"), context(id));
      expect(missing.status, id).toBe(404);
      expect((await json(missing)).error).toMatchObject({ code: "not_found", fields: { id: expect.any(String) } });
    }
  });
});

describe("POST /api/deletion-requests/{id}/extension", () => {
  const path = (id: string) => `/api/deletion-requests/${id}/extension`;

  it("extends for customers:delete, not for auditors", async () => {
    const id = await insertRequest(db, { receivedAt: new Date("2033-01-31T10:00:00Z") });
    const refused = await postExtension(post(path(id), "auditor", { extension: 1, reason: "x" }), context(id));
    expect(refused.status).toBe(403);
    const ok = await postExtension(post(path(id), "privacy_officer", { extension: 2, reason: "Two processors to hear from" }), context(id));
    expect(ok.status).toBe(200);
    expect((await json(ok)).data).toMatchObject({ id, extension: 2, extension_unit: "months", due_at: "2033-04-30T23:59:59.999Z" });
  });

  it("refuses bad input naming the field, and writes nothing", async () => {
    const id = await insertRequest(db, { receivedAt: new Date("2033-01-31T10:00:00Z"), regime: "gdpr" });
    const before = await state(id);
    const cases: Array<[unknown, number, string]> = [
      [{ extension: 3, reason: "More time" }, 422, "extension"],
      [{ extension: 1 }, 422, "reason"],
      [{ extension: 1, reason: "   " }, 422, "reason"],
      [{ extension: "1", reason: "More time" }, 422, "extension"],
      [{ extension: 1.5, reason: "More time" }, 422, "extension"],
      [{ extension: 1, reason: "More time", due_at: "2040-01-01" }, 422, "due_at"],
      ["{", 400, "body"],
    ];
    for (const [body, status, field] of cases) {
      const response = await postExtension(post(path(id), "admin", body), context(id));
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(Object.keys((await json(response)).error!.fields!), JSON.stringify(body)).toContain(field);
    }
    const ccpa = await insertRequest(db, { receivedAt: new Date("2033-01-31T10:00:00Z"), regime: "ccpa" });
    const over = await postExtension(post(path(ccpa), "admin", { extension: 46, reason: "More time" }), context(ccpa));
    expect(over.status).toBe(422);
    expect((await json(over)).error!.fields).toHaveProperty("extension");
    const text = await postExtension(post(path(id), "admin", { extension: 1, reason: "x" }, "text/plain"), context(id));
    expect(text.status).toBe(415);
    expect(await state(id)).toEqual({ ...before, audit: before.audit });
  });

  it("answers 409 for a completed request and 404 for an unknown one, writing nothing", async () => {
    const id = await insertRequest(db, { receivedAt: new Date("2033-01-31T10:00:00Z"), status: "completed" });
    const before = await state(id);
    const done = await postExtension(post(path(id), "admin", { extension: 1, reason: "Late" }), context(id));
    expect(done.status).toBe(409);
    expect((await json(done)).error).toMatchObject({ code: "conflict", fields: { extension: expect.any(String) } });
    const unknown = "00000000-0000-4000-8000-00000000dead";
    expect((await postExtension(post(path(unknown), "admin", { extension: 1, reason: "Late" }), context(unknown))).status).toBe(404);
    expect(await state(id)).toEqual(before);
  });
});

describe("GET /api/deletion-requests/{id}/receipt", () => {
  it("proves the deletion without any of the customer's identifiers, before and after every integration acknowledged", async () => {
    const integration = await insertIntegration(db, { name: "Warehouse (receipt)" });
    const c = await insertRichCustomer(db);
    const { request } = await requestDeletion({ customer: { externalId: c.externalId }, source: "api", actor: officer });
    // Every other integration of this file acknowledges too, so the request completes.
    await db.driver.query(
      `UPDATE integration_signals SET status = 'delivered', attempts = 1, delivered_at = now(), last_status_code = 200,
         receiver_ref = 'ack-' || left(integration_id::text, 8) WHERE deletion_request_id = $1 AND integration_id <> $2`,
      [request.id, integration],
    );
    const scan = async () => {
      const response = await getReceipt(get(`/api/deletion-requests/${request.id}/receipt`, "auditor"), context(request.id));
      expect(response.status).toBe(200);
      const text = await response.text();
      for (const needle of c.needles) {
        expect(text.includes(needle), needle).toBe(false);
        expect(text.toLowerCase().includes(needle.toLowerCase()), needle).toBe(false);
      }
      return (JSON.parse(text) as Body).data!;
    };
    expect(await scan()).toMatchObject({ status: "notifying", completed_at: null });

    await db.driver.query(
      `UPDATE integration_signals SET status = 'delivered', attempts = 1, delivered_at = now(), last_status_code = 202, receiver_ref = 'wh-42'
       WHERE deletion_request_id = $1 AND integration_id = $2`,
      [request.id, integration],
    );
    const receipt = await scan();
    expect(receipt).toMatchObject({
      request_id: request.id,
      regime: "gdpr",
      source: "api",
      status: "completed",
      received_at: request.receivedAt.toISOString(),
      due_at: request.dueAt.toISOString(),
      extension: { amount: 0, unit: "months", extended_at: null },
      identifier_hash: identifierHash("external_id", c.externalId),
      identifier_kind: "external_id",
      identifier_hash_explanation: expect.stringContaining("HMAC-SHA256"),
      retention_policy: customerRetention(),
    });
    expect(receipt.identifier_hash).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(receipt.completed_at).toEqual(expect.any(String));
    expect(receipt.acknowledgements).toContainEqual({
      integration: "Warehouse (receipt)",
      status: "delivered",
      acknowledged_at: expect.any(String),
      http_status: 202,
      receiver_reference: "wh-42",
    });

    const download = await getReceipt(get(`/api/deletion-requests/${request.id}/receipt?download=1`, "admin"), context(request.id));
    expect(download.headers.get("content-disposition")).toBe(`attachment; filename="deletion-receipt-${request.id}.json"`);
    const badParam = await getReceipt(get(`/api/deletion-requests/${request.id}/receipt?download=yes`, "admin"), context(request.id));
    expect(badParam.status).toBe(422);
    expect((await json(badParam)).error!.fields).toHaveProperty("download");
    expect((await getReceipt(get(`/api/deletion-requests/${request.id}/receipt`, "marketer"), context(request.id))).status).toBe(403);
    const unknown = "00000000-0000-4000-8000-00000000dead";
    expect((await getReceipt(get(`/api/deletion-requests/${unknown}/receipt`, "admin"), context(unknown))).status).toBe(404);
  });
});
