import type { PrismaClient } from "../generated/prisma/client.ts";
import { createUserWithPassword } from "../users/create.ts";
import { DEMO_PASSWORD, DEMO_USERS } from "./reference.ts";

// The demo users are reference data (reference.ts), so the browser tests can import them without this module's password hashing.
export { DEMO_PASSWORD, DEMO_USERS } from "./reference.ts";

export async function seedDemoUsers(prisma: PrismaClient) {
  for (const user of DEMO_USERS) await createUserWithPassword({ ...user, password: DEMO_PASSWORD }, prisma);
}
