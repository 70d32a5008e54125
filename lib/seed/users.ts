import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Role } from "../auth/permissions.ts";
import { createUserWithPassword } from "../users/create.ts";

/** One demo user per role; the README lists them. Never for production. */
export const DEMO_PASSWORD = "consent-desk-demo";

export const DEMO_USERS: ReadonlyArray<{ id: string; email: string; name: string; role: Role }> = [
  { id: "00000000-0000-4000-8000-0000000000d1", email: "admin@example.com", name: "Ada Admin", role: "admin" },
  { id: "00000000-0000-4000-8000-0000000000d2", email: "privacy@example.com", name: "Priya Privacy", role: "privacy_officer" },
  { id: "00000000-0000-4000-8000-0000000000d3", email: "marketer@example.com", name: "Marco Marketer", role: "marketer" },
  { id: "00000000-0000-4000-8000-0000000000d4", email: "auditor@example.com", name: "Aud Auditor", role: "auditor" },
];

export async function seedDemoUsers(prisma: PrismaClient) {
  for (const user of DEMO_USERS) await createUserWithPassword({ ...user, password: DEMO_PASSWORD }, prisma);
}
