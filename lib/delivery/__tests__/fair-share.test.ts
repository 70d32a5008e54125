import { describe, expect, it } from "vitest";
import { fairPick, slotCap, type DueSignal } from "../fair-share.ts";

/** `spec` as due signals: "a3" is integration a's signals a1, a2, a3, due in that order; integrations interleave by due time as listed. */
function queues(spec: Record<string, number>, { dueAt = (integration: string, i: number) => i * 10 + integration.charCodeAt(0) } = {}) {
  const due: DueSignal[] = [];
  for (const [integrationId, count] of Object.entries(spec))
    for (let i = 1; i <= count; i++) due.push({ id: `${integrationId}${i}`, integrationId, dueAt: dueAt(integrationId, i) });
  return due;
}
const held = (entries: Record<string, number> = {}) => new Map(Object.entries(entries));
const countBy = (ids: string[]) => ids.reduce<Record<string, number>>((acc, id) => ({ ...acc, [id[0]!]: (acc[id[0]!] ?? 0) + 1 }), {});

describe("the most slots one integration may hold", () => {
  it.each([
    [1, 1],
    [2, 1],
    [3, 2],
    [4, 3],
    [8, 6],
    [16, 12],
    [32, 24],
    [33, 24],
  ])("%i slots: %i", (concurrency, cap) => {
    expect(slotCap(concurrency)).toBe(cap);
  });
});

describe("which due signals a claim takes", () => {
  it.each([
    ["one integration alone, up to the cap", { a: 20 }, {}, 16, 12, { a: 12 }],
    ["one integration with less than the cap", { a: 5 }, {}, 16, 12, { a: 5 }],
    ["two with deep queues share evenly", { a: 20, b: 20 }, {}, 16, 12, { a: 8, b: 8 }],
    ["three share the free slots round-robin", { a: 20, b: 20, c: 20 }, {}, 12, 12, { a: 4, b: 4, c: 4 }],
    ["one with little work leaves the rest to the other", { a: 2, b: 20 }, {}, 16, 12, { a: 2, b: 12 }],
    ["an integration at its cap gets nothing more", { a: 20, b: 20 }, { a: 12 }, 4, 12, { b: 4 }],
    ["a hanging integration holding half gets nothing while the other is behind it", { a: 20, b: 20 }, { a: 8, b: 4 }, 4, 12, { b: 4 }],
    ["the one holding less catches up first, then they share", { a: 20, b: 20 }, { a: 6, b: 2 }, 8, 12, { a: 2, b: 6 }],
    ["a new integration's work gets the slots a capped one leaves", { a: 20, b: 3 }, { a: 12 }, 4, 12, { b: 3 }],
    ["nothing free, nothing taken", { a: 20 }, {}, 0, 12, {}],
    ["a cap of one", { a: 3, b: 3 }, {}, 2, 1, { a: 1, b: 1 }],
  ] as const)("%s", (_name, spec, holding, free, cap, taken) => {
    expect(countBy(fairPick(queues(spec), held(holding), free, cap))).toEqual(taken);
  });

  it("takes each integration's oldest due first, whatever order the rows come in", () => {
    const due = queues({ a: 4 }, { dueAt: (_, i) => 100 - i });
    expect(fairPick([...due].reverse(), held(), 2, 12)).toEqual(["a4", "a3"]);
  });

  it("orders equal slots by due time, then by id", () => {
    const due: DueSignal[] = [
      { id: "b1", integrationId: "b", dueAt: 5 },
      { id: "a1", integrationId: "a", dueAt: 9 },
      { id: "c1", integrationId: "c", dueAt: 5 },
      { id: "b2", integrationId: "b", dueAt: 6 },
    ];
    expect(fairPick(due, held(), 4, 12)).toEqual(["b1", "c1", "a1", "b2"]);
  });

  it("keeps a delete that falls due when a consent change's lease ends behind that change", () => {
    const due: DueSignal[] = [
      { id: "delete", integrationId: "a", dueAt: 2_000 },
      { id: "consent", integrationId: "a", dueAt: 1_000 },
    ];
    expect(fairPick(due, held(), 1, 12)).toEqual(["consent"]);
    expect(fairPick(due, held(), 2, 12)).toEqual(["consent", "delete"]);
  });

  it("never gives one integration more than the cap, nor the claim more than the free slots", () => {
    for (let free = 0; free <= 16; free++) {
      for (let holdingA = 0; holdingA <= 13; holdingA++) {
        const taken = countBy(fairPick(queues({ a: 30, b: 30 }), held({ a: holdingA }), free, 12));
        expect(holdingA + (taken.a ?? 0)).toBeLessThanOrEqual(Math.max(12, holdingA));
        expect((taken.a ?? 0) + (taken.b ?? 0)).toBe(Math.min(free, Math.max(0, 12 - holdingA) + 12));
      }
    }
  });
});
