import "server-only";

export { getDatabase, getPrisma } from "./client.ts";
export type { Database, Db } from "./client.ts";
export { Prisma } from "../generated/prisma/client.ts";
