import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET, POST } from "../../../app/api/integrations/route.ts";
import { PATCH } from "../../../app/api/integrations/[id]/route.ts";
import { POST as ROTATE } from "../../../app/api/integrations/[id]/rotate-secret/route.ts";
import { POST as TEST } from "../../../app/api/integrations/[id]/test/route.ts";
import { createApiKey } from "../../auth/api-keys.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { startVerifyingReceiver, type VerifyingReceiver } from "../../testing/verifying-receiver.ts";

// /api/integrations over its route handlers, against a real database and a
// real receiver on 127.0.0.1: the envelope, the secret in the create and
// rotate answers only, the refusals by field, and the test signal's answer.

type Json = {
  data?: Record<string, unknown> & { signing_secret?: string };
  error?: { code: string; message: string; fields?: Record<string, string> };
};

let db: TestDatabase;
let admin: string;
let auditor: string;
let receiver: VerifyingReceiver;
const allowPrivate = process.env.INTEGRATIONS_ALLOW_PRIVATE;
const UNKNOWN = "00000000-0000-4000-8000-000000000bad";

beforeAll(async () => {
  // The receiver is on loopback, which only INTEGRATIONS_ALLOW_PRIVATE=1 lets through; restored after.
  process.env.INTEGRATIONS_ALLOW_PRIVATE = "1";
  db = await createTestDatabase({ install: true });
  admin = (await createApiKey({ name: "admin", role: "admin", createdById: null }, db.prisma)).key;
  auditor = (await createApiKey({ name: "auditor", role: "auditor", createdById: null }, db.prisma)).key;
  receiver = await startVerifyingReceiver();
});
afterAll(async () => {
  if (allowPrivate === undefined) delete process.env.INTEGRATIONS_ALLOW_PRIVATE;
  else process.env.INTEGRATIONS_ALLOW_PRIVATE = allowPrivate;
  await receiver?.close();
  await db?.dispose();
});

type Handler = (request: Request, context: { params: Promise<{ id: string }> }) => Promise<Response>;

async function call(handler: Handler, path: string, options: { method?: string; body?: unknown; key?: string; id?: string } = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${options.key ?? admin}` };
  let body: string | undefined;
  if (options.body !== undefined) {
    headers["content-type"] = "application/json";
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  }
  const response = await handler(new Request(`http://localhost${path}`, { method: options.method ?? "POST", headers, body }), {
    params: Promise.resolve({ id: options.id ?? "" }),
  });
  return { status: response.status, json: (await response.json()) as Json };
}

const create = (body: unknown, key?: string) => call(POST, "/api/integrations", { body, key });

describe("POST /api/integrations", () => {
  it("answers 201 with the integration and its signing secret, which GET never shows", async () => {
    const { status, json } = await create({
      name: "Braze",
      vendor: "braze-route",
      endpoint_url: receiver.url,
      purposes: ["email_marketing"],
      enabled: true,
    });
    expect(status).toBe(201);
    expect(json.data).toEqual({
      id: expect.any(String),
      name: "Braze",
      vendor: "braze-route",
      endpoint_url: receiver.url,
      purposes: ["email_marketing"],
      enabled: true,
      status: "connected",
      disabled_reason: null,
      disabled_at: null,
      previous_secret_valid_until: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
      signing_secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
    });

    const listed = await call(GET, "/api/integrations", { method: "GET", key: auditor });
    expect(listed.status).toBe(200);
    const { signing_secret: secret, ...shown } = json.data!;
    expect(listed.json.data).toEqual([shown]);
    expect(JSON.stringify(listed.json)).not.toContain(secret);
  });

  it("refuses a taken vendor with 409 naming vendor", async () => {
    const { status, json } = await create({ name: "Again", vendor: "braze-route", endpoint_url: receiver.url });
    expect(status).toBe(409);
    expect(json.error).toMatchObject({ code: "conflict", fields: { vendor: "Another integration already uses this vendor slug." } });
  });

  it("refuses bad fields with 422, each by name, and writes nothing", async () => {
    const before = await db.prisma.integration.count();
    const { status, json } = await create({
      name: "",
      vendor: "Not A Slug",
      endpoint_url: "ftp://x",
      purposes: ["sms"],
      enabled: "yes",
      extra: 1,
    });
    expect(status).toBe(422);
    expect(Object.keys(json.error!.fields!).sort()).toEqual(["enabled", "endpoint_url", "extra", "name", "purposes[0]", "vendor"]);
    expect(json.error!.fields!.endpoint_url).toBe("The endpoint must be an https:// URL");
    expect(await db.prisma.integration.count()).toBe(before);
  });

  it("refuses with 422 on endpoint_url an endpoint whose host is private, when loopback is not allowed", async () => {
    delete process.env.INTEGRATIONS_ALLOW_PRIVATE;
    try {
      const { status, json } = await create({ name: "Internal", vendor: "internal-route", endpoint_url: "https://127.0.0.1:8443/hook" });
      expect(status).toBe(422);
      expect(json.error!.fields!.endpoint_url).toMatch(/127\.0\.0\.1, a private, loopback, link-local or metadata address/);
    } finally {
      process.env.INTEGRATIONS_ALLOW_PRIVATE = "1";
    }
  });

  it("answers 403 to an auditor, and 400/415 to a body that is not JSON", async () => {
    expect((await create({ name: "x", vendor: "x", endpoint_url: receiver.url }, auditor)).status).toBe(403);
    expect((await create("{not json")).json.error).toMatchObject({ code: "invalid_json", fields: { body: expect.any(String) } });
    const plain = await POST(
      new Request("http://localhost/api/integrations", { method: "POST", headers: { authorization: `Bearer ${admin}` }, body: "x" }),
    );
    expect(plain.status).toBe(415);
  });
});

describe("PATCH, rotate-secret and test on /api/integrations/{id}", () => {
  let id: string;
  let secret: string;
  beforeAll(async () => {
    const { json } = await create({ name: "Target", vendor: "target-route", endpoint_url: receiver.url, purposes: [] });
    id = json.data!.id as string;
    secret = json.data!.signing_secret!;
  });

  it("PATCH changes what the body names and answers the integration without its secret", async () => {
    const { status, json } = await call(PATCH, `/api/integrations/${id}`, {
      method: "PATCH",
      id,
      body: { name: "Target EU", purposes: ["link_tracking"], enabled: false },
    });
    expect(status).toBe(200);
    expect(json.data).toMatchObject({
      id,
      name: "Target EU",
      vendor: "target-route",
      purposes: ["link_tracking"],
      enabled: false,
      status: "paused",
    });
    expect(json.data).not.toHaveProperty("signing_secret");
    const resumed = await call(PATCH, `/api/integrations/${id}`, { method: "PATCH", id, body: { enabled: true } });
    expect(resumed.json.data).toMatchObject({ status: "connected" });
  });

  it("PATCH refuses a different vendor and an empty body by name, and answers 404 for an unknown or malformed id", async () => {
    const vendor = await call(PATCH, `/api/integrations/${id}`, { method: "PATCH", id, body: { vendor: "renamed" } });
    expect(vendor.status).toBe(422);
    expect(vendor.json.error!.fields!.vendor).toMatch(/^The vendor cannot change/);
    const empty = await call(PATCH, `/api/integrations/${id}`, { method: "PATCH", id, body: {} });
    expect(empty.json.error!.fields).toEqual({ body: "Send at least one of name, endpoint_url, purposes, enabled" });
    for (const bad of [UNKNOWN, "not-a-uuid"]) {
      const missing = await call(PATCH, `/api/integrations/${bad}`, { method: "PATCH", id: bad, body: { name: "x" } });
      expect(missing.status).toBe(404);
      expect(missing.json.error).toMatchObject({ code: "not_found", fields: { id: expect.any(String) } });
    }
  });

  it("rotate-secret takes no body (24 h overlap) or overlap_hours, and refuses one out of range", async () => {
    const started = Date.now();
    const rotated = await call(ROTATE, `/api/integrations/${id}/rotate-secret`, { id });
    expect(rotated.status).toBe(200);
    const fresh = rotated.json.data!.signing_secret!;
    expect(fresh).toMatch(/^whsec_/);
    expect(fresh).not.toBe(secret);
    const until = Date.parse(rotated.json.data!.previous_secret_valid_until as string);
    expect(until - started).toBeGreaterThanOrEqual(24 * 3_600_000 - 1000);
    expect(until - started).toBeLessThan(24 * 3_600_000 + 60_000);

    // An empty body sent as JSON (as `curl -X POST -H 'content-type: application/json'` sends it) is no body either.
    const empty = await ROTATE(
      new Request(`http://localhost/api/integrations/${id}/rotate-secret`, {
        method: "POST",
        headers: { authorization: `Bearer ${admin}`, "content-type": "application/json", "content-length": "0" },
      }),
      { params: Promise.resolve({ id }) },
    );
    expect(empty.status).toBe(200);

    const now = await call(ROTATE, `/api/integrations/${id}/rotate-secret`, { id, body: { overlap_hours: 0 } });
    expect(now.json.data).toMatchObject({ previous_secret_valid_until: null });
    for (const overlap of [-1, 169, 1.5, "24"]) {
      const refused = await call(ROTATE, `/api/integrations/${id}/rotate-secret`, { id, body: { overlap_hours: overlap } });
      expect(refused.status, String(overlap)).toBe(422);
      expect(refused.json.error!.fields).toHaveProperty("overlap_hours");
    }
    secret = now.json.data!.signing_secret!;
  });

  it("test sends a signed request and answers what the receiver said", async () => {
    receiver.trust(secret);
    receiver.answer({ status: 200, body: JSON.stringify({ reference: "ack-7" }) });
    const { status, json } = await call(TEST, `/api/integrations/${id}/test`, { id });
    expect(status).toBe(200);
    expect(json.data).toEqual({
      signal_id: expect.any(String),
      delivered: true,
      status_code: 200,
      latency_ms: expect.any(Number),
      error: null,
      receiver_ref: "ack-7",
    });
    expect(receiver.requests.at(-1)).toMatchObject({ verifiedBy: [secret], headers: { "webhook-id": json.data!.signal_id } });

    receiver.answer({ status: 410 });
    const gone = await call(TEST, `/api/integrations/${id}/test`, { id });
    expect(gone.json.data).toMatchObject({ delivered: false, status_code: 410, error: "The endpoint answered 410." });
    // A test is only a test: a 410 to it does not disable the integration.
    expect((await db.prisma.integration.findUniqueOrThrow({ where: { id } })).enabled).toBe(true);
    expect((await call(TEST, `/api/integrations/${UNKNOWN}/test`, { id: UNKNOWN })).status).toBe(404);
  });
});
