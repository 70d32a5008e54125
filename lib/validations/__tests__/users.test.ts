import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CreateUserSchema } from "../users.ts";

const user = (password: string) => ({
  name: "Ada Lovelace",
  email: "ada.lovelace@example.com",
  role: "marketer",
  passwordMode: "set",
  password,
});
const passwordError = (password: string) => {
  const parsed = CreateUserSchema.safeParse(user(password));
  return parsed.success ? null : (z.flattenError(parsed.error).fieldErrors as Record<string, string[]>).password?.[0];
};

describe("CreateUserSchema's password", () => {
  it.each(["password1234", "aaaaaaaaaaaa", "adalovelace1", "ada.lovelace@example.com"])("refuses %s by field", (password) => {
    expect(passwordError(password)).toMatch(/Too easy to guess/);
  });
  it("accepts a strong one, and a generated one needs none", () => {
    expect(passwordError("tulip-orbit-canyon-41")).toBeNull();
    expect(CreateUserSchema.safeParse({ ...user(""), passwordMode: "generate" }).success).toBe(true);
  });
});
