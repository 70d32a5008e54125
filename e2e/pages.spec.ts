import { request as httpRequest } from "node:http";
import { DEMO_INTEGRATIONS } from "../lib/seed/reference.ts";
import { authFile } from "./auth";
import { DEMO, expect, expectNoA11yViolations, test } from "./fixtures";

// The admin sees every page.
test.use({ storageState: authFile("admin") });

// Every page of the dashboard passes axe, in the light and the dark theme.
const PAGES = [
  ["/customers", "Customers"],
  [`/customers/${DEMO.chen.id}`, DEMO.chen.name],
  // VIP members (its seeded id is md5('cd-seed-audience-VIP members')), push.
  ["/audiences?audience=ef8211b4-5e2b-5a1e-258e-64e77f7d5b1a&channel=push", "Audience send preview"],
  ["/deletions", "Deletions"],
  ["/deletions/bulk", "Bulk deletions"],
  ["/integrations", "Integrations"],
  // Braze: its seeded log has failed signals, so the admin's retry buttons are checked too.
  [`/integrations/${DEMO_INTEGRATIONS[1].id}`, DEMO_INTEGRATIONS[1].name],
  ["/audit", "Audit log"],
  ["/settings", "Settings"],
  ["/account", "Your account"],
] as const;

for (const scheme of ["light", "dark"] as const) {
  test.describe(`${scheme} theme`, () => {
    test.use({ colorScheme: scheme });
    test("/sign-in has no accessibility violations", async ({ browser }) => {
      const context = await browser.newContext({ colorScheme: scheme, storageState: { cookies: [], origins: [] } });
      const page = await context.newPage();
      await page.goto("/sign-in");
      await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
      await expectNoA11yViolations(page);
      await context.close();
    });
    for (const [path, heading] of PAGES) {
      test(`${path} has no accessibility violations`, async ({ page }) => {
        await page.goto(path);
        await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
        await expectNoA11yViolations(page);
      });
    }
  });
}

test("every page is built: none says it is not available yet", async ({ page }) => {
  await page.goto("/deletions");
  await expect(page.getByRole("heading", { level: 2, name: "Requests" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Not available yet" })).toHaveCount(0);
});

test("the sidebar marks the current page and the skip link moves focus to the content", async ({ page }) => {
  await page.goto("/integrations");
  await expect(page.getByRole("link", { name: "Integrations" })).toHaveAttribute("aria-current", "page");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main")).toBeFocused();
});

test("an unknown path answers 404 with a way back", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("link", { name: /customers/i })).toBeVisible();
  await expectNoA11yViolations(page);
});

test("an unknown customer, integration or deletion request answers 404, not a page that says so with 200", async ({ page }) => {
  for (const path of [
    "/deletions/00000000-0000-4000-8000-000000000000",
    "/deletions/garbage",
    "/deletions/00000000-0000-4000-8000-000000000000/receipt",
    "/customers/00000000-0000-4000-8000-000000000000",
    "/integrations/00000000-0000-4000-8000-000000000000",
    "/integrations/garbage",
  ]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(/not found/i);
  }
});

test("a path that is not UTF-8 answers 404 (a page) or 400 (the API), with the security headers", async ({ page, request }) => {
  const response = await page.goto("/customers/%FF");
  expect(response?.status()).toBe(404);
  expect(response?.headers()["x-content-type-options"]).toBe("nosniff");
  await expect(page.getByRole("link", { name: /customers/i }).first()).toBeVisible();
  const api = await request.get("/api/storefront/v1/customers/%ED%A0%80/consent");
  expect(api.status()).toBe(400);
  expect(api.headers()["x-content-type-options"]).toBe("nosniff");
  expect(await api.json()).toMatchObject({ error: { code: "invalid_path", fields: { path: expect.any(String) } } });
});

test("a server action posted over the size limit answers 413, nested too deep 400, never 500", async ({ request }) => {
  const response = await request.post("/customers", {
    headers: { "next-action": "0123456789abcdef", "content-type": "text/plain;charset=UTF-8" },
    data: "x".repeat(2 * 1024 * 1024),
  });
  expect(response.status()).toBe(413);
  // Nested 20,000 deep: React's argument decoding would overflow its stack before any action runs.
  const deep = await request.post("/customers", {
    headers: { "next-action": "0123456789abcdef", "content-type": "text/plain;charset=UTF-8" },
    data: `[${"[".repeat(20_000)}1${"]".repeat(20_000)}]`,
  });
  expect(deep.status()).toBe(400);
  // Chunked, so no length is declared: counted while read, refused once past the limit.
  const chunked = await new Promise<number>((resolve, reject) => {
    const url = new URL("/customers", test.info().project.use.baseURL);
    const post = httpRequest(
      url,
      { method: "POST", headers: { "next-action": "0123456789abcdef", "transfer-encoding": "chunked" } },
      (answer) => {
        answer.resume();
        resolve(answer.statusCode ?? 0);
      },
    );
    post.on("error", reject);
    for (let i = 0; i < 32; i++) post.write("x".repeat(64 * 1024));
    post.end();
  });
  expect(chunked).toBe(413);
});

test("a malformed or cross-site server action answers 400 or 403 in the API's envelope, never 500", async ({ request }) => {
  const action = { "next-action": "7f00000000000000000000000000000000000000aa" };
  const own = new URL(test.info().project.use.baseURL!).origin;
  const form = (fields: Record<string, string>) => ({ multipart: fields, headers: { ...action, origin: own } });
  const cases = [
    ["no root part", form({ "1_email": "a@example.com" }), 400, "invalid_action_body"],
    ["a root that is not JSON", form({ "0": "not json" }), 400, "invalid_action_body"],
    [
      "a text body that is not JSON",
      { headers: { ...action, "content-type": "text/plain" }, data: "not json" },
      400,
      "invalid_action_body",
    ],
    [
      "a foreign Origin",
      { headers: { ...action, origin: "https://evil.example", "content-type": "text/plain" }, data: "[]" },
      403,
      "cross_site_request",
    ],
    ["an empty Origin", { headers: { ...action, origin: "", "content-type": "text/plain" }, data: "[]" }, 400, "invalid_origin"],
    ["Origin null", { headers: { ...action, origin: "null", "content-type": "text/plain" }, data: "[]" }, 403, "cross_site_request"],
    [
      "cross-site, no Origin",
      { headers: { ...action, "sec-fetch-site": "cross-site", "content-type": "text/plain" }, data: "[]" },
      403,
      "cross_site_request",
    ],
  ] as const;
  for (const [name, options, status, code] of cases) {
    await test.step(name, async () => {
      const response = await request.post("/sign-in", options);
      expect(response.status()).toBe(status);
      expect(await response.json()).toMatchObject({ error: { code, fields: expect.any(Object) } });
    });
  }
  // Well-formed, from the app's own origin: past the proxy, Next.js answers the unknown action itself (a 4xx, not these).
  const good = await request.post("/sign-in", { headers: { ...action, origin: own, "content-type": "text/plain" }, data: "[]" });
  expect(good.status()).toBeGreaterThanOrEqual(400);
  expect(good.status()).toBeLessThan(500);
  expect(good.headers()["content-type"]).not.toContain("application/json");
});

test.describe("Content-Security-Policy", () => {
  const SECURITY_HEADERS = [
    "x-frame-options",
    "x-content-type-options",
    "referrer-policy",
    "permissions-policy",
    "cross-origin-opener-policy",
  ];

  test("every page's scripts carry the request's nonce, and no page reports a CSP violation", async ({ browser }) => {
    const visits = [
      { storageState: { cookies: [], origins: [] }, paths: ["/sign-in"] },
      { storageState: authFile("admin"), paths: [...PAGES.map(([path]) => path), "/no-such-page"] },
    ];
    for (const { storageState, paths } of visits) {
      const context = await browser.newContext({ storageState });
      const page = await context.newPage();
      const violations: string[] = [];
      page.on("console", (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(`${page.url()}: ${message.text()}`);
      });
      await page.addInitScript(() => {
        document.addEventListener("securitypolicyviolation", (event) => {
          console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`);
        });
      });
      for (const path of paths) {
        await test.step(path, async () => {
          const response = await page.goto(path);
          const policy = response!.headers()["content-security-policy"] ?? "";
          const scriptSrc = policy.split(";").find((d) => d.trim().startsWith("script-src")) ?? "";
          expect(scriptSrc).not.toContain("'unsafe-inline'");
          const nonce = /'nonce-([^']+)'/.exec(scriptSrc)?.[1];
          expect(nonce).toBeTruthy();
          for (const header of SECURITY_HEADERS) expect(response!.headers()[header], header).toBeTruthy();
          await expect(page.locator("h1").first()).toBeVisible();
          // The nonce attribute is hidden from the DOM once parsed; the property keeps it.
          const nonces = await page.locator("script").evaluateAll((scripts) => scripts.map((s) => (s as HTMLScriptElement).nonce));
          expect(nonces.length).toBeGreaterThan(0);
          expect(nonces.every((n) => n === nonce)).toBe(true);
        });
      }
      expect(violations).toEqual([]);
      await context.close();
    }
  });

  test("an API answer and a static asset keep the other security headers", async ({ page, request }) => {
    const api = await request.get("/api/openapi.json");
    for (const header of SECURITY_HEADERS) expect(api.headers()[header], header).toBeTruthy();
    await page.goto("/sign-in");
    const src = await page.locator("script[src]").first().getAttribute("src");
    const asset = await request.get(src!);
    expect(asset.status()).toBe(200);
    for (const header of SECURITY_HEADERS) expect(asset.headers()[header], header).toBeTruthy();
  });
});
