import { describe, expect, it } from "vitest";
import { deliveryWorkerMode } from "../worker-mode.ts";

describe("where the delivery worker runs", () => {
  it.each([
    [{}, "inline"],
    [{ DATABASE_URL: "" }, "inline"],
    [{ DATABASE_URL: "postgresql://db/app" }, "off"],
    [{ DATABASE_URL: "postgresql://db/app", DELIVERY_WORKER: "inline" }, "inline"],
    [{ DELIVERY_WORKER: "off" }, "off"],
    [{ DELIVERY_WORKER: " Inline " }, "inline"],
  ] as const)("%o runs it %s", (env, mode) => {
    expect(deliveryWorkerMode(env)).toBe(mode);
  });

  it("refuses a value it does not know, rather than silently not delivering", () => {
    expect(() => deliveryWorkerMode({ DELIVERY_WORKER: "separate" })).toThrow(/DELIVERY_WORKER/);
  });
});
