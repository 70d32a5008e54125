import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { API_STATIC_SEGMENTS, routeOf } from "../refusals.ts";

function routeDirs(dir: string): string[] {
  const entries = readdirSync(dir, { withFileTypes: true });
  const here = entries.some((e) => e.name === "route.ts") ? [dir] : [];
  return [...here, ...entries.filter((e) => e.isDirectory()).flatMap((e) => routeDirs(path.join(dir, e.name)))];
}

describe("routeOf", () => {
  it("logs ids, external ids among them, as [id]", () => {
    expect(routeOf("/api/storefront/v1/customers/demo-ana/consent")).toBe("/api/storefront/v1/customers/[id]/consent");
    expect(routeOf("/api/customers/00000000-0000-4000-8000-000000000001/consent-history")).toBe("/api/customers/[id]/consent-history");
    expect(routeOf("/api/events")).toBe("/api/events");
    expect(routeOf("/api/integrations/00000000-0000-4000-8000-000000000001/rotate-secret")).toBe("/api/integrations/[id]/rotate-secret");
  });

  it("knows every static segment of the routes under app/api", () => {
    const dirs = routeDirs("app/api");
    expect(dirs.length).toBeGreaterThan(0);
    const statics = dirs.flatMap((d) => d.split(path.sep)).filter((s) => s !== "app" && !s.startsWith("["));
    expect(statics.filter((s) => !API_STATIC_SEGMENTS.has(s))).toEqual([]);
  });
});
