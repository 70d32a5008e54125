import { describe, expect, it } from "vitest";
import { bindNamed, namedSql } from "../named.ts";

describe("namedSql", () => {
  it("numbers each name once, in order of first use, and leaves casts alone", () => {
    const st = namedSql<{ id: string; version: number; tags: string[] }>(
      "SELECT :id::uuid, :version::int, :id, ARRAY[:tags]::text[] WHERE x::text = 'a'",
    );
    expect(st.text).toBe("SELECT $1::uuid, $2::int, $1, ARRAY[$3]::text[] WHERE x::text = 'a'");
    expect(st.names).toEqual(["id", "version", "tags"]);
  });

  it("binds by name, whatever order the object lists them in", () => {
    const st = namedSql<{ a: number; b: number; c: number }>("VALUES (:c, :a, :b)");
    expect(bindNamed(st, { a: 1, b: 2, c: 3 })).toEqual([3, 1, 2]);
    expect(bindNamed(st, { c: 3, b: 2, a: 1 })).toEqual([3, 1, 2]);
  });

  it("refuses a missing name and a value the statement does not use", () => {
    const st = namedSql<{ a: number; b?: number }>("VALUES (:a, :b)");
    expect(() => bindNamed(st, { a: 1 })).toThrow(/:b has no value/);
    expect(() => bindNamed(st, { a: 1, b: 2, c: 3 } as { a: number })).toThrow(/not in the statement: :c/);
    expect(bindNamed(st, { a: 1, b: undefined })).toEqual([1, null]);
  });
});
