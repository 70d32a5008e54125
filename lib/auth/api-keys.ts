import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { getPrisma, type Db } from "../db/index.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Role } from "./permissions.ts";

// cdk_ + 43 base64url characters (32 random bytes).
const KEY_PATTERN = /^cdk_[A-Za-z0-9_-]{43}$/;
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

type NewApiKey = { name: string; role: Role; createdById: string | null };
type CreatedKey = { id: string; name: string; role: Role; prefix: string; createdAt: Date; key: string };

/** Makes a key for a role. The key itself is returned once and stored only as a hash. */
export async function createApiKey(input: NewApiKey, db?: Db): Promise<CreatedKey> {
  const key = `cdk_${randomBytes(32).toString("base64url")}`;
  const row = await (db ?? (await getPrisma())).apiKey.create({
    data: { name: input.name, role: input.role, createdById: input.createdById, prefix: key.slice(0, 12), keyHash: sha256(key) },
    select: { id: true, name: true, role: true, prefix: true, createdAt: true },
  });
  return { ...row, key };
}

type KnownKey = { id: string; name: string; role: Role };
type CachedKey = KnownKey & { lastUsedAt: number | null; checkedAt: number };

/**
 * Keys recently authenticated, by key hash, per Prisma client (tests open
 * several databases in one process). Every API request authenticates, and
 * looking the key up each time was a large share of a cheap request such as a
 * consent GET, so a key found valid is trusted for CACHE_MS without asking
 * the database again.
 *
 * Revocation: revokeApiKey (the only way the product revokes a key) calls
 * forgetApiKey once its transaction commits, so in this process the next
 * request with the key answers 401, as before. A revocation made elsewhere
 * (another app instance, or SQL by hand) reaches this process's cache within
 * CACHE_MS (30 s) at most. A lookup that began before a revocation in this
 * process is not cached (the generation check), so it cannot put the key back.
 */
const CACHE_MS = 30_000;
const CACHE_MAX = 1_000;
const LAST_USED_EVERY_MS = 60_000;
// On globalThis, like the database (lib/db/client.ts): Next.js bundles route
// handlers and server actions separately, each with its own copy of this
// module, and a revocation made by an action must reach the routes' cache.
const shared = ((
  globalThis as unknown as { __consentDeskApiKeys?: { caches: WeakMap<object, Map<string, CachedKey>>; generation: number } }
).__consentDeskApiKeys ??= { caches: new WeakMap(), generation: 0 });
const { caches } = shared;

function cacheOf(prisma: object): Map<string, CachedKey> {
  let cache = caches.get(prisma);
  if (!cache) caches.set(prisma, (cache = new Map()));
  return cache;
}

/** Drops a key (or, without an id, every key) from this process's cache: the next request looks it up again. */
export async function forgetApiKey(keyId?: string, db?: PrismaClient): Promise<void> {
  // Before any await: a lookup already under way must see the new generation.
  shared.generation++;
  const cache = caches.get(db ?? (await getPrisma()));
  if (!cache) return;
  if (keyId === undefined) return cache.clear();
  for (const [hash, key] of cache) if (key.id === keyId) cache.delete(hash);
}

/** The key behind an Authorization header, or null for a missing, malformed, unknown or revoked key. */
export async function authenticateApiKey(authorization: string | null, db?: PrismaClient): Promise<KnownKey | null> {
  const key = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!key || !KEY_PATTERN.test(key)) return null;
  const hash = sha256(key);
  const prisma = db ?? (await getPrisma());
  const cache = cacheOf(prisma);
  const now = Date.now();
  let known = cache.get(hash);
  if (known && now - known.checkedAt > CACHE_MS) {
    cache.delete(hash);
    known = undefined;
  }
  if (!known) {
    const startedAt = shared.generation;
    const row = await prisma.apiKey.findUnique({
      where: { keyHash: hash },
      select: { id: true, name: true, role: true, lastUsedAt: true, revokedAt: true },
    });
    if (!row || row.revokedAt) return null;
    known = { id: row.id, name: row.name, role: row.role, lastUsedAt: row.lastUsedAt?.getTime() ?? null, checkedAt: now };
    if (startedAt === shared.generation) {
      // The oldest entry goes first: a Map iterates in insertion order.
      if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
      cache.set(hash, known);
    }
  }
  // Last-used to the minute is enough, and spares a write on every request.
  if (known.lastUsedAt === null || now - known.lastUsedAt > LAST_USED_EVERY_MS) {
    known.lastUsedAt = now;
    const { count } = await prisma.apiKey.updateMany({ where: { id: known.id, revokedAt: null }, data: { lastUsedAt: new Date(now) } });
    if (count === 0) {
      // Revoked or deleted since it was cached (by another process): found out early.
      await forgetApiKey(known.id, prisma);
      return null;
    }
  }
  return { id: known.id, name: known.name, role: known.role };
}
