import { describe, expect, it } from "vitest";
import { duplicateJsonKey, jsonNestsDeeper, MAX_JSON_DEPTH, valueNestsDeeper } from "../json-depth.ts";

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

describe("duplicateJsonKey", () => {
  it.each([
    ['{"a": 1, "b": 2}', null],
    ['{"a": 1, "a": 2}', "a"],
    ['{"consent": {"purposes": {"email_marketing": false, "email_marketing": true}}}', "email_marketing"],
    ['[{"a": 1}, {"a": 2}]', null],
    ['{"a": "x,\\"a\\": 1", "b": {"a": 1}}', null],
    ['{"a\\u0062": 1, "ab": 2}', "ab"],
    ['{"a": [1, {"b": 1, "b": 2}]}', "b"],
  ])("%s → %s", (text, expected) => {
    expect(duplicateJsonKey(text)).toBe(expected);
  });
});
