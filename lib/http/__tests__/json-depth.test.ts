import { describe, expect, it } from "vitest";
import { jsonNestsDeeper, MAX_JSON_DEPTH, valueNestsDeeper } from "../json-depth.ts";

const nested = (depth: number, open = "[", close = "]") => open.repeat(depth) + close.repeat(depth);

describe("jsonNestsDeeper", () => {
  it.each([
    [nested(MAX_JSON_DEPTH), false],
    [nested(MAX_JSON_DEPTH + 1), true],
    ['{"a":'.repeat(5_000) + "1" + "}".repeat(5_000), true],
    // Brackets inside strings, escaped quotes included, do not nest.
    [JSON.stringify({ a: "[".repeat(10_000) + '\\"' + "{".repeat(10_000) }), false],
    [JSON.stringify({ a: '"[[[' }) + nested(3), false],
  ])("%#", (text, deeper) => {
    expect(jsonNestsDeeper(text)).toBe(deeper);
  });
});

describe("valueNestsDeeper", () => {
  it("counts arrays and objects, and stops on a cycle", () => {
    expect(valueNestsDeeper(JSON.parse(nested(MAX_JSON_DEPTH)))).toBe(false);
    expect(valueNestsDeeper(JSON.parse(nested(MAX_JSON_DEPTH + 1)))).toBe(true);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(valueNestsDeeper(cyclic)).toBe(false);
  });
});
