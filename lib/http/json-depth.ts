// How deep JSON may nest, checked on the text before it is parsed: a body
// 5,000 levels deep is only 10 KB, and every recursive step after parsing
// (zod, JSON.stringify, the database driver) would overflow the stack on it.

/** Deeper than any shape this app accepts (event attributes included), far below what overflows a stack. */
export const MAX_JSON_DEPTH = 64;

/** True when the JSON text opens more than `max` arrays or objects inside each other. Linear, and allocates nothing. */
export function jsonNestsDeeper(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** True when a value (already parsed, e.g. a server action's argument) nests more than `max` arrays or objects. */
export function valueNestsDeeper(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== "object" || current === null || seen.has(current)) continue;
    if (depth >= max) return true;
    seen.add(current);
    for (const child of Array.isArray(current) ? current : Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * The first key that appears twice in one JSON object, or null. JSON.parse
 * keeps the last silently, so `{"email_marketing": false, "email_marketing":
 * true}` would mean whatever the client's serializer happened to write last.
 */
export function duplicateJsonKey(text: string): string | null {
  // One frame per open object (its keys so far) or array (null).
  const stack: Array<{ keys: Set<string> | null; expectKey: boolean }> = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const start = i;
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
      const top = stack.at(-1);
      if (!top?.keys || !top.expectKey) continue;
      let key: string;
      try {
        key = JSON.parse(text.slice(start, i + 1)) as string;
      } catch {
        return null; // malformed: the parser refuses the body anyway
      }
      if (top.keys.has(key)) return key;
      top.keys.add(key);
      top.expectKey = false;
    } else if (c === 0x7b) stack.push({ keys: new Set(), expectKey: true });
    else if (c === 0x5b) stack.push({ keys: null, expectKey: false });
    else if (c === 0x7d || c === 0x5d) stack.pop();
    else if (c === 0x2c) {
      const top = stack.at(-1);
      if (top?.keys) top.expectKey = true;
    }
  }
  return null;
}
