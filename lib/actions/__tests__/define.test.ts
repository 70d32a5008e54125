import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { AuthorizationError, type Actor } from "../../auth/actor.ts";
import { ConsentInputError } from "../../consent/errors.ts";
import { UserRuleError } from "../../users/errors.ts";
import { defineAction, definePublicAction } from "../define.ts";

// The wrapper alone: the caller is whoever `caller` says, revalidation is recorded.
let caller: Actor | null = null;
const revalidated: string[] = [];
vi.mock("next/cache", () => ({ revalidatePath: (path: string) => revalidated.push(path) }));
vi.mock("../../auth/session.ts", () => ({ getCurrentUser: async () => caller }));
// Refusals are recorded in the audit log (lib/audit/__tests__ and request-guards.db.test.ts test that); here, that one is asked to.
const recordedRefusals: unknown[][] = [];
vi.mock("../../audit/refusals.ts", () => ({ recordRefusal: async (...args: unknown[]) => void recordedRefusals.push(args) }));

const admin: Actor = { kind: "user", id: "u-1", label: "admin@example.com", role: "admin", ip: null, userAgent: null };
const Schema = z.object({ name: z.string().min(1, "Enter a name"), purposes: z.object({ email_marketing: z.boolean() }).optional() });

beforeEach(() => {
  caller = admin;
  revalidated.length = 0;
  recordedRefusals.length = 0;
});

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
};

describe("defineAction", () => {
  const handler = vi.fn(async (input: z.output<typeof Schema>, actor: Actor) => ({ greeting: `${input.name} by ${actor.label}` }));
  const action = defineAction("users:manage", Schema, handler, { revalidate: (input) => `/things/${input.name}` });

  it("records its permission, for the authorization test", () => {
    expect(action.permission).toBe("users:manage");
    expect(definePublicAction(Schema, async () => null).permission).toBeNull();
  });

  it("answers a form action (previous, formData) and a direct call alike, and revalidates", async () => {
    expect(await action(undefined, form({ name: "a" }))).toEqual({ ok: true, data: { greeting: "a by admin@example.com" } });
    expect(await action({ name: "b" })).toEqual({ ok: true, data: { greeting: "b by admin@example.com" } });
    expect(revalidated).toEqual(["/things/a", "/things/b"]);
  });

  it("checks the role before it looks at the input, and calls nothing when refused", async () => {
    handler.mockClear();
    caller = null;
    expect(await action({})).toEqual({ ok: false, error: "Your session has ended. Sign in again." });
    caller = { ...admin, role: "marketer" };
    expect(await action({})).toMatchObject({ ok: false, error: expect.stringMatching(/marketer role may not do this/) });
    expect(handler).not.toHaveBeenCalled();
    // Only the signed-in caller refused is audited, not the anonymous one.
    expect(recordedRefusals).toEqual([[caller, { kind: "action", action: "server action (users:manage)" }, "users:manage"]]);
  });

  it("names each bad field by its dotted path, one message each, and calls nothing", async () => {
    handler.mockClear();
    const result = await action({ name: "", purposes: { email_marketing: "yes" } });
    expect(result).toEqual({
      ok: false,
      error: "Check name, purposes.email_marketing: Enter a name",
      fieldErrors: { name: "Enter a name", "purposes.email_marketing": expect.any(String) },
    });
    expect(await action("not an object")).toMatchObject({ ok: false, fieldErrors: { input: expect.any(String) } });
    // A plain object, or React cannot send the failure to the client component that shows it.
    expect(Object.getPrototypeOf((result as { fieldErrors: object }).fieldErrors)).toBe(Object.prototype);
    expect(handler).not.toHaveBeenCalled();
    expect(revalidated).toEqual([]);
  });

  it("turns a domain rule's refusal into a failure, in the same field shape", async () => {
    const refuse = (error: Error) => defineAction("users:manage", Schema, async () => Promise.reject(error));
    expect(await refuse(new UserRuleError("Taken.", "email"))({ name: "a" })).toEqual({
      ok: false,
      error: "Taken.",
      fieldErrors: { email: "Taken." },
    });
    expect(await refuse(new UserRuleError("Last admin."))({ name: "a" })).toEqual({ ok: false, error: "Last admin." });
    expect(await refuse(new ConsentInputError({ "vendors.acme": "No such vendor." }))({ name: "a" })).toEqual({
      ok: false,
      error: "No such vendor.",
      fieldErrors: { "vendors.acme": "No such vendor." },
    });
    expect(revalidated).toEqual([]);
  });

  it("lets an action add its own failures, and lets every other error propagate", async () => {
    const own = defineAction("users:manage", Schema, async () => Promise.reject(new RangeError("mine")), {
      failure: (error) => (error instanceof RangeError ? { ok: false as const, error: "handled", extra: 1 } : null),
    });
    expect(await own({ name: "a" })).toEqual({ ok: false, error: "handled", extra: 1 });
    const faulty = defineAction("users:manage", Schema, async () => Promise.reject(new TypeError("bug")));
    await expect(faulty({ name: "a" })).rejects.toThrow("bug");
    const denied = defineAction("users:manage", Schema, async () => Promise.reject(new AuthorizationError(403, "deeper")));
    await expect(denied({ name: "a" })).rejects.toBeInstanceOf(AuthorizationError);
  });

  it("refuses an argument nested too deep, or too large, as a field error before the schema or the handler", async () => {
    handler.mockClear();
    let deep: unknown = "x";
    for (let i = 0; i < 20_000; i++) deep = { a: deep };
    expect(await action({ name: "a", deep })).toMatchObject({ ok: false, fieldErrors: { input: expect.stringMatching(/Nested deeper/) } });
    expect(await action(undefined, form({ name: "x".repeat(300_000) }))).toMatchObject({
      ok: false,
      fieldErrors: { input: expect.stringMatching(/Larger than/) },
    });
    expect(handler).not.toHaveBeenCalled();
    // A cyclic argument (React's encodeReply can send one) is walked once, not forever.
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(await action({ name: "a", cyclic })).toMatchObject({ ok: true });
  });
});
