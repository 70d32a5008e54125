import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The layers, both ways: routes and components reach data only through
// lib/<domain>; domain modules never reach back up into the actions.

const ROOT = path.resolve(import.meta.dirname, "../..");
const SOURCE = /\.(ts|tsx)$/;
// `import … from "x"`, `import "x"`, `export … from "x"`, `import("x")`.
const SPECIFIER = /(?:^|\n)\s*(?:import|export)\s(?:[^"';]*?\sfrom\s)?["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;

function files(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && SOURCE.test(e.name))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

/** What `file` imports, as repo paths where they are this repo's ("lib/db/index.ts"), else as written ("react"). */
function imports(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), "utf8");
  return [...text.matchAll(SPECIFIER)].map(([, from, dynamic]) => {
    const spec = (from ?? dynamic)!;
    if (spec.startsWith("@/")) return spec.slice(2);
    if (spec.startsWith(".")) return path.relative(ROOT, path.resolve(ROOT, path.dirname(file), spec));
    return spec;
  });
}

const under = (prefix: string) => (target: string) =>
  target === prefix || target.startsWith(`${prefix}.`) || target.startsWith(`${prefix}/`);
const DATABASE = [under("lib/db"), under("lib/generated"), under("@prisma"), (t: string) => t === "pg" || t.startsWith("pg-")];
const touchesDatabase = (target: string) => DATABASE.some((rule) => rule(target));

/** Every `file → import` in `dir` that `forbidden` matches. */
function violations(dir: string, forbidden: (target: string) => boolean, skip: (file: string) => boolean = () => false) {
  return files(dir)
    .filter((file) => !skip(file))
    .flatMap((file) =>
      imports(file)
        .filter(forbidden)
        .map((target) => `${file} → ${target}`),
    );
}

describe("layers", () => {
  it("reads import statements the way the rules below need", () => {
    // If the scanner stopped seeing imports, every rule would pass vacuously.
    expect(imports("lib/audit/append.ts")).toContain("lib/db/index.ts");
    expect(imports("app/(dashboard)/settings/page.tsx")).toContain("lib/users/queries");
    expect(imports("components/settings/use-settings-form.ts")).toEqual(expect.arrayContaining(["react", "lib/actions/result"]));
    expect(imports("app/api/customers/[id]/route.ts")).toContain("lib/deletions/intake");
    expect(imports("components/customers/delete-customer-dialog.tsx")).toEqual(
      expect.arrayContaining(["lib/actions/deletions", "lib/deletions/confirmation"]),
    );
  });

  it("pages and routes under app/ never talk to the database: they call lib/<domain>", () => {
    expect(violations("app", touchesDatabase)).toEqual([]);
  });

  it("components never fetch data themselves: no database, no server-only data modules", () => {
    expect(violations("components", (t) => touchesDatabase(t) || t === "server-only")).toEqual([]);
  });

  it("domain modules never import the actions: the actions call the domain, not the other way round", () => {
    const isTest = (file: string) => file.includes("/__tests__/");
    expect(violations("lib", under("lib/actions"), (file) => file.startsWith("lib/actions/") || isTest(file))).toEqual([]);
  });
});
