import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEMO, DEMO_CUSTOMERS, demoCustomersOwnedBy } from "../reference.ts";

// Browser specs run in parallel on one database. A demo customer a spec
// changes must not be read by another (a row read mid-change flakes), so
// reference.ts names each customer's owner and this checks the spec files:
// no spec names a customer another spec owns, by key, id, email, name or external id.
const E2E = path.resolve(import.meta.dirname, "../../../e2e");
const specs = readdirSync(E2E)
  .filter((f) => f.endsWith(".spec.ts"))
  .map((f) => ({ file: `e2e/${f}`, text: readFileSync(path.join(E2E, f), "utf8") }));

const keyOf = new Map(Object.entries(DEMO).map(([key, c]) => [c.id, key]));

describe("demo customers in the browser specs", () => {
  it("finds the specs and the owned customers", () => {
    expect(specs.length).toBeGreaterThan(3);
    expect(demoCustomersOwnedBy("e2e/consent.spec.ts").map((c) => c.name)).toEqual(["Dana Okafor", "Eli Novak"]);
    expect(demoCustomersOwnedBy("e2e/consent-panel.spec.ts").length).toBeGreaterThanOrEqual(3);
    expect(demoCustomersOwnedBy("read-only").length).toBeGreaterThanOrEqual(3);
  });

  it("no spec names a demo customer another spec owns", () => {
    const trespass = DEMO_CUSTOMERS.filter((c) => c.owner !== "read-only").flatMap((c) => {
      const marks = [`DEMO.${keyOf.get(c.id)}`, c.id, c.email, c.name, c.externalId];
      return specs
        .filter((s) => s.file !== c.owner)
        .flatMap((s) => marks.filter((m) => s.text.includes(m)).map((m) => `${s.file} names ${c.name} (${m}), owned by ${c.owner}`));
    });
    expect(trespass).toEqual([]);
  });

  it("gives every demo customer a distinct id, email, external id and name", () => {
    for (const field of ["id", "email", "externalId", "name"] as const) {
      expect(new Set(DEMO_CUSTOMERS.map((c) => c[field])).size).toBe(DEMO_CUSTOMERS.length);
    }
  });
});
