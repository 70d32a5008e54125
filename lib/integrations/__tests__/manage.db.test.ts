import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AuthorizationError } from "../../auth/actor.ts";
import { secretKey } from "../../delivery/signing.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { adminActor, auditEntries, failAuditInserts, marketerActor, storedText } from "../../users/__tests__/fixtures.ts";
import { CreateIntegrationSchema, UpdateIntegrationSchema, VENDOR_CANNOT_CHANGE } from "../../validations/integrations.ts";
import type { Resolver } from "../endpoint.ts";
import { IntegrationInputError, IntegrationNotFoundError } from "../errors.ts";
import { createIntegration, listIntegrations, rotateSigningSecret, updateIntegration } from "../manage.ts";
import { listenForSignalsDue } from "./notifications.ts";

// The domain of Settings → Integrations against a real database (PGlite, or
// PostgreSQL with DATABASE_URL): secrets shown once and never listed or
// audited, the vendor fixed, SSRF refused when saved, pause/resume waking the
// workers, and rotation keeping the old secret for its overlap.

let db: TestDatabase;
const allowPrivate = process.env.INTEGRATIONS_ALLOW_PRIVATE;
let counter = 0;
const vendor = (tag: string) => `${tag}-${++counter}`;

/** A resolver that answers fixed addresses, so the tests need no network. */
const resolvesTo =
  (...addresses: string[]): Resolver =>
  async () =>
    addresses;
const PUBLIC = resolvesTo("93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c");

/** What a client sends, through the schema the route and the action use (which reads INTEGRATIONS_ALLOW_PRIVATE). */
const create = (input: Record<string, unknown>) => CreateIntegrationSchema.parse({ name: "Hooks", purposes: [], ...input });

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
});
// Each test sets INTEGRATIONS_ALLOW_PRIVATE itself; it is unset otherwise, as in production.
beforeEach(() => {
  delete process.env.INTEGRATIONS_ALLOW_PRIVATE;
});
afterEach(() => {
  if (allowPrivate === undefined) delete process.env.INTEGRATIONS_ALLOW_PRIVATE;
  else process.env.INTEGRATIONS_ALLOW_PRIVATE = allowPrivate;
});
afterAll(async () => db?.dispose());

describe("createIntegration", () => {
  it("stores it with a new whsec_ secret of 32 bytes, returned once, never listed or audited", async () => {
    const input = create({
      name: " Braze EU ",
      vendor: vendor("braze"),
      endpoint_url: "https://Hooks.Example.com/consent?token=abc",
      purposes: ["push_notifications", "email_marketing"],
    });
    const { integration, signingSecret } = await createIntegration(adminActor, input, { db: db.prisma, resolve: PUBLIC });
    expect(signingSecret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(secretKey(signingSecret)).toHaveLength(32);
    // Trimmed, the URL in its parsed form, purposes in their canonical order.
    expect(integration).toMatchObject({
      name: "Braze EU",
      endpointUrl: "https://hooks.example.com/consent?token=abc",
      purposes: ["email_marketing", "push_notifications"],
      enabled: true,
      status: "connected",
      previousSecretValidUntil: null,
    });
    expect((await db.prisma.integration.findUniqueOrThrow({ where: { id: integration.id } })).signingSecret).toBe(signingSecret);

    const listed = await listIntegrations(db.prisma);
    expect(listed.find((i) => i.id === integration.id)).toEqual(integration);
    expect(storedText(listed)).not.toContain(signingSecret);
    expect(Object.keys(listed[0]!)).not.toEqual(expect.arrayContaining(["signingSecret"]));

    const [entry] = await auditEntries(db, integration.id);
    expect(entry).toMatchObject({ action: "integration.create", actorId: adminActor.id, targetType: "integration" });
    // The endpoint without its query string (a token may travel there), and no secret.
    expect(entry!.summary).toEqual({
      name: "Braze EU",
      vendor: input.vendor,
      endpoint: "https://hooks.example.com/consent?…",
      purposes: ["email_marketing", "push_notifications"],
      enabled: true,
    });
    expect(storedText(entry)).not.toContain(signingSecret);
    expect(storedText(entry)).not.toContain("token=abc");
  });

  it("refuses a vendor another integration has (409, by name) and writes nothing", async () => {
    const slug = vendor("taken");
    await createIntegration(adminActor, create({ vendor: slug, endpoint_url: "https://a.example.com/" }), {
      db: db.prisma,
      resolve: PUBLIC,
    });
    const before = await db.prisma.integration.count();
    const refused = createIntegration(adminActor, create({ vendor: slug, endpoint_url: "https://b.example.com/" }), {
      db: db.prisma,
      resolve: PUBLIC,
    });
    await expect(refused).rejects.toMatchObject({ status: 409, fields: { vendor: "Another integration already uses this vendor slug." } });
    expect(await db.prisma.integration.count()).toBe(before);
  });

  it("adds a paused integration when asked", async () => {
    const { integration } = await createIntegration(
      adminActor,
      create({ vendor: vendor("paused"), endpoint_url: "https://p.example.com/", enabled: false }),
      {
        db: db.prisma,
        resolve: PUBLIC,
      },
    );
    expect(integration.status).toBe("paused");
  });

  it("leaves no integration when its audit entry cannot be written", async () => {
    const slug = vendor("no-audit");
    const restore = await failAuditInserts(db, "integration.create");
    try {
      await expect(
        createIntegration(adminActor, create({ vendor: slug, endpoint_url: "https://n.example.com/" }), { db: db.prisma, resolve: PUBLIC }),
      ).rejects.toThrow();
    } finally {
      await restore();
    }
    expect(await db.prisma.integration.count({ where: { vendor: slug } })).toBe(0);
  });

  it("refuses a role without integrations:manage", async () => {
    const slug = vendor("sneaky");
    await expect(
      createIntegration(marketerActor, create({ vendor: slug, endpoint_url: "https://s.example.com/" }), {
        db: db.prisma,
        resolve: PUBLIC,
      }),
    ).rejects.toBeInstanceOf(AuthorizationError);
    expect(await db.prisma.integration.count({ where: { vendor: slug } })).toBe(0);
  });
});

describe("endpoints refused when saved (SSRF), without INTEGRATIONS_ALLOW_PRIVATE", () => {
  const fieldOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
    result.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);

  it("refuses http to a public name, and any scheme but https, by the schema", () => {
    for (const url of ["http://hooks.example.com/consent", "ftp://hooks.example.com/", "file:///etc/passwd", "javascript:alert(1)"]) {
      const result = CreateIntegrationSchema.safeParse({ name: "x", vendor: "x", endpoint_url: url });
      expect(fieldOf(result), url).toEqual(["endpoint_url: The endpoint must be an https:// URL"]);
    }
    expect(
      fieldOf(CreateIntegrationSchema.safeParse({ name: "x", vendor: "x", endpoint_url: "https://user:pw@hooks.example.com/" })),
    ).toEqual(["endpoint_url: The endpoint must not carry a user name or password"]);
    expect(fieldOf(CreateIntegrationSchema.safeParse({ name: "x", vendor: "x", endpoint_url: "not a url" }))).toEqual([
      "endpoint_url: Enter a full URL, e.g. https://hooks.example.com/consent",
    ]);
  });

  it.each([
    ["https://127.0.0.1/hook", undefined, "127.0.0.1"],
    ["https://[::1]:8443/hook", undefined, "::1"],
    ["https://10.1.2.3/hook", undefined, "10.1.2.3"],
    ["https://169.254.169.254/latest/meta-data", undefined, "169.254.169.254"],
    // A name whose addresses are loopback: the real resolver, /etc/hosts.
    ["https://localhost/hook", undefined, "resolves to"],
    // A public-looking name that resolves to a private address, or to one public and one private.
    ["https://internal.example.com/hook", resolvesTo("10.0.0.8"), "10.0.0.8"],
    ["https://mixed.example.com/hook", resolvesTo("93.184.215.14", "192.168.1.20"), "192.168.1.20"],
    ["https://v6.example.com/hook", resolvesTo("fd00:ec2::254"), "fd00:ec2::254"],
    // IPv6 that carries an IPv4 address (issue 16, item 7a), as a literal and as a name's address.
    ["https://[::7f00:1]/hook", undefined, "::7f00:1"],
    ["https://[::ffff:0:a00:1]/hook", undefined, "::ffff:0:a00:1"],
    ["https://[2002:a9fe:a9fe::1]/hook", undefined, "2002:a9fe:a9fe::1"],
    ["https://six-to-four.example.com/hook", resolvesTo("2002:c0a8:101::1"), "2002:c0a8:101::1"],
  ])("refuses %s by name on endpoint_url and writes nothing", async (url, resolve, named) => {
    const before = await db.prisma.integration.count();
    const input = create({ vendor: vendor("ssrf"), endpoint_url: url });
    const error = await createIntegration(adminActor, input, { db: db.prisma, resolve }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntegrationInputError);
    expect((error as IntegrationInputError).status).toBe(422);
    expect((error as IntegrationInputError).fields.endpoint_url).toContain(named);
    expect((error as IntegrationInputError).fields.endpoint_url).toContain("private, loopback, link-local or metadata");
    expect(await db.prisma.integration.count()).toBe(before);
  });

  it("refuses a host that does not resolve, on endpoint_url", async () => {
    const fails: Resolver = async () => {
      throw Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" });
    };
    const input = create({ vendor: vendor("nxdomain"), endpoint_url: "https://nothing-here.invalid/hook" });
    await expect(createIntegration(adminActor, input, { db: db.prisma, resolve: fails })).rejects.toMatchObject({
      fields: { endpoint_url: "The host nothing-here.invalid does not resolve; check the name" },
    });
    await expect(createIntegration(adminActor, input, { db: db.prisma, resolve: resolvesTo() })).rejects.toMatchObject({
      fields: { endpoint_url: "The host nothing-here.invalid resolves to no address" },
    });
  });

  it("lets loopback through with INTEGRATIONS_ALLOW_PRIVATE=1 (the demo and tests), http included", async () => {
    process.env.INTEGRATIONS_ALLOW_PRIVATE = "1";
    const { integration } = await createIntegration(
      adminActor,
      create({ vendor: vendor("local"), endpoint_url: "http://127.0.0.1:4010/hook" }),
      { db: db.prisma },
    );
    expect(integration.endpointUrl).toBe("http://127.0.0.1:4010/hook");
    // Plain http stays loopback-only even then.
    expect(CreateIntegrationSchema.safeParse({ name: "x", vendor: "x", endpoint_url: "http://hooks.example.com/" }).success).toBe(false);
  });
});

describe("updateIntegration", () => {
  async function added(tag: string) {
    const input = create({ vendor: vendor(tag), endpoint_url: "https://u.example.com/hook", purposes: ["email_marketing"] });
    return (await createIntegration(adminActor, input, { db: db.prisma, resolve: PUBLIC })).integration;
  }

  it("changes what it names, audits before and after, and a repeat changes nothing", async () => {
    const integration = await added("update");
    const patch = UpdateIntegrationSchema.parse({ name: "Renamed", purposes: ["link_tracking", "email_marketing"] });
    const result = await updateIntegration(adminActor, integration.id, patch, { db: db.prisma });
    expect(result.changed).toBe(true);
    expect(result.integration).toMatchObject({
      name: "Renamed",
      purposes: ["email_marketing", "link_tracking"],
      endpointUrl: integration.endpointUrl,
    });
    const [, entry] = await auditEntries(db, integration.id);
    expect(entry).toMatchObject({
      action: "integration.update",
      summary: {
        name: "Renamed",
        before: { name: "Hooks", purposes: ["email_marketing"] },
        after: { name: "Renamed", purposes: ["email_marketing", "link_tracking"] },
      },
    });

    expect((await updateIntegration(adminActor, integration.id, patch, { db: db.prisma })).changed).toBe(false);
    expect(await auditEntries(db, integration.id)).toHaveLength(2);
  });

  it("refuses a different vendor by name (it keys consent.vendors), accepts the same one sent back", async () => {
    const integration = await added("fixed");
    await expect(
      updateIntegration(adminActor, integration.id, UpdateIntegrationSchema.parse({ vendor: "other", name: "X" }), { db: db.prisma }),
    ).rejects.toMatchObject({
      fields: { vendor: VENDOR_CANNOT_CHANGE },
    });
    expect((await db.prisma.integration.findUniqueOrThrow({ where: { id: integration.id } })).name).toBe("Hooks");
    const same = UpdateIntegrationSchema.parse({ vendor: integration.vendor, name: "Same vendor" });
    expect((await updateIntegration(adminActor, integration.id, same, { db: db.prisma })).integration.name).toBe("Same vendor");
  });

  it("checks a new endpoint's addresses as a new integration's, and refuses an empty patch", async () => {
    const integration = await added("moved");
    const patch = UpdateIntegrationSchema.parse({ endpoint_url: "https://sneaky.example.com/hook" });
    await expect(
      updateIntegration(adminActor, integration.id, patch, { db: db.prisma, resolve: resolvesTo("127.0.0.1") }),
    ).rejects.toMatchObject({
      fields: { endpoint_url: expect.stringContaining("127.0.0.1") },
    });
    expect((await db.prisma.integration.findUniqueOrThrow({ where: { id: integration.id } })).endpoint).toBe("https://u.example.com/hook");
    expect(UpdateIntegrationSchema.safeParse({}).error?.issues[0]).toMatchObject({ path: ["body"] });
  });

  it("answers not found for an unknown id", async () => {
    await expect(
      updateIntegration(adminActor, "00000000-0000-4000-8000-000000000bad", { name: "x" }, { db: db.prisma }),
    ).rejects.toBeInstanceOf(IntegrationNotFoundError);
  });

  it("pauses; resuming clears a 410's disabled state and wakes the delivery workers", async () => {
    const integration = await added("pause");
    const notifications = await listenForSignalsDue(db);
    try {
      const paused = await updateIntegration(adminActor, integration.id, { enabled: false }, { db: db.prisma });
      expect(paused.integration.status).toBe("paused");
      // The worker disables an integration whose endpoint answered 410.
      const disabledAt = new Date("2026-12-01T10:00:00Z");
      await db.prisma.integration.update({
        where: { id: integration.id },
        data: { disabledReason: "The endpoint answered 410 Gone: the integration was disabled.", disabledAt },
      });
      expect((await listIntegrations(db.prisma)).find((i) => i.id === integration.id)).toMatchObject({ status: "disabled", disabledAt });
      expect(notifications.count()).toBe(0);

      const resumed = await updateIntegration(adminActor, integration.id, { enabled: true }, { db: db.prisma });
      expect(resumed.integration).toMatchObject({ status: "connected", disabledReason: null, disabledAt: null });
      const row = await db.prisma.integration.findUniqueOrThrow({ where: { id: integration.id } });
      expect(row).toMatchObject({ enabled: true, disabledReason: null, disabledAt: null });
      await expect.poll(() => notifications.count()).toBeGreaterThan(0);
    } finally {
      await notifications.stop();
    }
    const [, pause, resume] = await auditEntries(db, integration.id);
    expect(pause).toMatchObject({ action: "integration.pause", summary: { before: { enabled: true }, after: { enabled: false } } });
    expect(resume).toMatchObject({
      action: "integration.resume",
      summary: { after: { enabled: true }, cleared: expect.stringContaining("410") },
    });
  });
});

describe("rotateSigningSecret", () => {
  it("makes a new secret, keeps the old one signing until the overlap ends, and audits neither", async () => {
    const { integration, signingSecret: first } = await createIntegration(
      adminActor,
      create({ vendor: vendor("rotate"), endpoint_url: "https://r.example.com/" }),
      {
        db: db.prisma,
        resolve: PUBLIC,
      },
    );
    const now = new Date("2026-12-01T12:00:00Z");
    const rotated = await rotateSigningSecret(adminActor, integration.id, { overlap_hours: 24 }, { db: db.prisma, now });
    expect(rotated.signingSecret).not.toBe(first);
    expect(secretKey(rotated.signingSecret)).toHaveLength(32);
    expect(rotated.previousSecretValidUntil).toEqual(new Date("2026-12-02T12:00:00Z"));
    expect(await db.prisma.integration.findUniqueOrThrow({ where: { id: integration.id } })).toMatchObject({
      signingSecret: rotated.signingSecret,
      previousSecret: first,
      previousSecretExpiresAt: new Date("2026-12-02T12:00:00Z"),
    });

    // Again with no overlap: the secret just replaced stops at once, and the first is long gone.
    const second = await rotateSigningSecret(adminActor, integration.id, { overlap_hours: 0 }, { db: db.prisma });
    expect(second.previousSecretValidUntil).toBeNull();
    expect(await db.prisma.integration.findUniqueOrThrow({ where: { id: integration.id } })).toMatchObject({
      signingSecret: second.signingSecret,
      previousSecret: null,
      previousSecretExpiresAt: null,
    });

    const entries = (await auditEntries(db, integration.id)).filter((e) => e.action === "integration.rotate_secret");
    expect(entries.map((e) => e.summary)).toEqual([
      { name: "Hooks", vendor: integration.vendor, overlap_hours: 24, previous_valid_until: "2026-12-02T12:00:00.000Z" },
      { name: "Hooks", vendor: integration.vendor, overlap_hours: 0, previous_valid_until: null },
    ]);
    for (const secret of [first, rotated.signingSecret, second.signingSecret]) expect(storedText(entries)).not.toContain(secret);
  });

  it("answers not found for an unknown id and refuses a marketer", async () => {
    await expect(
      rotateSigningSecret(adminActor, "00000000-0000-4000-8000-000000000bad", { overlap_hours: 1 }, { db: db.prisma }),
    ).rejects.toBeInstanceOf(IntegrationNotFoundError);
    await expect(
      rotateSigningSecret(marketerActor, "00000000-0000-4000-8000-000000000bad", { overlap_hours: 1 }, { db: db.prisma }),
    ).rejects.toBeInstanceOf(AuthorizationError);
  });
});
