// The corpus of bad input the fuzz suites (lib/__tests__/fuzz-*.db.test.ts)
// send to every edge: what PostgreSQL refuses (NUL), what is not text (lone
// surrogates), dates it cannot store or that make no sense, numbers JSON
// cannot mean, keys that collide with Object.prototype, garbage cursors.

const base64url = (text: string) => Buffer.from(text, "utf8").toString("base64url");

/** Strings no text field may accept. */
export const BAD_TEXT = {
  nul: "a\u0000b",
  loneHighSurrogate: "a\uD800b",
  loneLowSurrogate: "\uDFFF",
} as const;

/** Values every search parameter and path segment meets; each must answer a named 4xx, or be ignored, never a 500. */
export const BAD_PARAM_VALUES: readonly string[] = [
  ...Object.values(BAD_TEXT),
  "0000-01-01",
  "0000-01-01T00:00",
  "9999-12-31",
  "9999-12-31T23:59:59-14:00",
  "+275760-09-13T00:00:00Z",
  "1e309",
  "-0",
  "99999999999999999999",
  "-1",
  "garbage",
  base64url('{"v":"garbage","id":"x"}'),
  base64url('{"t":"0000-01-01T00:00:00Z","id":"9999999999999999999"}'),
  base64url('{"v":1e309,"id":"00000000-0000-4000-8000-000000000001"}'),
  base64url("\u0000"),
  "%FF",
  "x".repeat(20_000),
  "__proto__",
  "constructor",
];

/**
 * A parameter that takes one value, given twice (`?regime=gdpr&regime=ccpa`,
 * or the same value twice): each must be refused by name, never one value
 * silently winning.
 */
export const repeatedValues = (good: string): ReadonlyArray<readonly [string, string]> => [
  [good, good],
  [good, `${good}-other`],
];

/** Names that collide with Object.prototype. */
export const PROTOTYPE_KEYS = ["__proto__", "constructor", "toString", "hasOwnProperty"] as const;

/** Arrays nested `depth` deep as JSON text (10 KB at 5,000: tiny, and deep enough to overflow a recursive walk). */
export const nestedJson = (depth: number, leaf = "1") => "[".repeat(depth) + leaf + "]".repeat(depth);

/** An object nested `depth` deep, built without recursion. */
export function nestedValue(depth: number): unknown {
  let value: unknown = "leaf";
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

/** Every string leaf of a JSON value replaced, one at a time: the variants to send. */
export function eachStringLeaf(value: unknown, replacement: string): unknown[] {
  const variants: unknown[] = [];
  const walk = (node: unknown, set: (v: unknown) => unknown): void => {
    if (typeof node === "string") variants.push(set(replacement));
    else if (Array.isArray(node)) node.forEach((child, i) => walk(child, (v) => set(node.map((c, j) => (j === i ? v : c)))));
    else if (node !== null && typeof node === "object") {
      for (const key of Object.keys(node)) walk((node as Record<string, unknown>)[key], (v) => set({ ...(node as object), [key]: v }));
    }
  };
  walk(value, (v) => v);
  return variants;
}

/** Raw JSON bodies built from a valid one: numbers JSON.stringify cannot write, duplicate keys, prototype keys. */
export function rawBodyVariants(valid: Record<string, unknown>): string[] {
  const text = JSON.stringify(valid);
  const inner = text.slice(1, -1);
  const [firstKey] = Object.keys(valid);
  return [
    `{${inner}, ${JSON.stringify(firstKey)}: ${JSON.stringify(valid[firstKey!])}}`,
    ...PROTOTYPE_KEYS.map((key) => `{${inner}, ${JSON.stringify(key)}: {"polluted": true}}`),
    text.replace(/:(\s*)(-?\d+(\.\d+)?|true|false)/, ":$11e309"),
    text.replace(/:(\s*)(-?\d+(\.\d+)?|true|false)/, ":$199999999999999999999999"),
    `{${inner}, "deep": ${nestedJson(5_000)}}`,
    `{${inner}, "deeper": ${nestedJson(20_000)}}`,
    `{${inner}, "big": "${"x".repeat(3 * 1024 * 1024)}"}`,
    `{${inner}`,
    "",
    "null",
    "[]",
    '"text"',
    // A body with no number or boolean has nothing for the overflow variants to replace: they would be the valid body itself.
  ].filter((variant) => variant !== text);
}
