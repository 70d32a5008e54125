import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET, POST } from "../../../app/api/integrations/route.ts";
import { createApiKey } from "../../auth/api-keys.ts";
import type { Role } from "../../auth/permissions.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { getIntegrationStatus, listIntegrationStatuses } from "../status.ts";

// An endpoint's query-string token (issue 16, item 7b) is the admins': the
// list API and the integrations pages' data show it to auditors and privacy
// officers with each value masked, and whole to an admin, who edits it.

const TOKEN = "s3cr3t-T0KEN-for-the-receiver";
const ENDPOINT = `http://127.0.0.1:9/hooks/q?token=${TOKEN}&region=eu`;
const MASKED = "http://127.0.0.1:9/hooks/q?token=…&region=…";

let db: TestDatabase;
const keys = new Map<Role, string>();
let id: string;
const allowPrivate = process.env.INTEGRATIONS_ALLOW_PRIVATE;

async function list(role: Role) {
  const response = await GET(new Request("http://localhost/api/integrations", { headers: { authorization: `Bearer ${keys.get(role)}` } }));
  expect(response.status).toBe(200);
  const text = await response.text();
  const { data } = JSON.parse(text) as { data: { id: string; endpoint_url: string }[] };
  return { text, endpoint: data.find((i) => i.id === id)?.endpoint_url };
}

beforeAll(async () => {
  process.env.INTEGRATIONS_ALLOW_PRIVATE = "1";
  db = await createTestDatabase({ install: true });
  for (const role of ["admin", "privacy_officer", "auditor"] as const)
    keys.set(role, (await createApiKey({ name: role, role, createdById: null }, db.prisma)).key);
  const created = await POST(
    new Request("http://localhost/api/integrations", {
      method: "POST",
      headers: { authorization: `Bearer ${keys.get("admin")}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "Tokened", vendor: "tokened", endpoint_url: ENDPOINT, purposes: [], enabled: false }),
    }),
  );
  const { data } = (await created.json()) as { data: { id: string; endpoint_url: string } };
  // The admin who made it reads it back whole.
  expect(data.endpoint_url).toBe(ENDPOINT);
  id = data.id;
});
afterAll(async () => {
  if (allowPrivate === undefined) delete process.env.INTEGRATIONS_ALLOW_PRIVATE;
  else process.env.INTEGRATIONS_ALLOW_PRIVATE = allowPrivate;
  await db?.dispose();
});

describe("an endpoint's query-string token", () => {
  it.each(["auditor", "privacy_officer"] as const)("is masked in GET /api/integrations for a %s", async (role) => {
    const { text, endpoint } = await list(role);
    expect(endpoint).toBe(MASKED);
    expect(text).not.toContain(TOKEN);
  });

  it("is whole in GET /api/integrations for an admin", async () => {
    expect((await list("admin")).endpoint).toBe(ENDPOINT);
  });

  it("is masked in the integrations pages' figures unless the reader may see it whole", async () => {
    const listed = (await listIntegrationStatuses()).find((s) => s.id === id)!;
    expect(listed.endpoint).toBe(MASKED);
    expect(JSON.stringify(await listIntegrationStatuses())).not.toContain(TOKEN);
    expect((await getIntegrationStatus(id))!.endpoint).toBe(MASKED);
    expect((await getIntegrationStatus(id, { revealEndpoint: true }))!.endpoint).toBe(ENDPOINT);
    expect((await listIntegrationStatuses({ revealEndpoint: true })).find((s) => s.id === id)!.endpoint).toBe(ENDPOINT);
  });

  it("is stored whole: the delivery worker sends to it", async () => {
    const [row] = await db.driver.query<{ endpoint: string }>(`SELECT endpoint FROM integrations WHERE id = $1`, [id]);
    expect(row!.endpoint).toBe(ENDPOINT);
  });
});
