import "server-only";
import { createHash } from "node:crypto";
import { APIError, betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { createAuthMiddleware } from "better-auth/api";
import { nextCookies } from "better-auth/next-js";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { appendAudit } from "../audit/append.ts";
import { getPrisma } from "../db/index.ts";
import { clientIp } from "./client-ip.ts";
import { ROLES, type Role } from "./permissions.ts";
import { authSecret } from "./secret.ts";
import { SESSION_MAX_SECONDS, signInLockout, recordSignInFailure, clearSignInFailures } from "./sign-in-policy.ts";

export const INVALID_CREDENTIALS = "Invalid email or password.";

function createAuth(prisma: PrismaClient) {
  return betterAuth({
    database: prismaAdapter(prisma, { provider: "postgresql" }),
    secret: authSecret(),
    baseURL: process.env.BETTER_AUTH_URL,
    // No public sign-up: admins create users (lib/users).
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 12, maxPasswordLength: 256 },
    user: {
      additionalFields: { role: { type: [...ROLES], required: false, defaultValue: "marketer", input: false } },
    },
    // An absolute lifetime here; the idle timeout is ours (lib/auth/session.ts),
    // because sliding refresh does not run on server-component requests.
    session: { expiresIn: SESSION_MAX_SECONDS, disableSessionRefresh: true },
    advanced: {
      database: { generateId: "uuid" },
      useSecureCookies: process.env.NODE_ENV === "production" || process.env.BETTER_AUTH_URL?.startsWith("https:"),
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
    },
    // Per-IP request limit on the HTTP endpoints; per-account lockout is in the hooks.
    rateLimit: { enabled: true, window: 60, max: 200, customRules: { "/sign-in/email": { window: 60, max: 30 } } },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-in/email") return;
        const email = String(ctx.body?.email ?? "")
          .trim()
          .toLowerCase();
        const ip = clientIp(ctx.headers);
        const lockout = await signInLockout(email, ip, prisma);
        if (lockout) {
          await appendAudit(
            {
              actor: { kind: "system", label: "sign-in", ip, userAgent: ctx.headers?.get("user-agent") ?? null },
              action: "sign_in.locked",
              target: await signInTarget(email, prisma),
              summary: { reason: lockout.reason },
            },
            prisma,
          );
          throw new APIError("TOO_MANY_REQUESTS", { message: lockout.message, code: "SIGN_IN_LOCKED" });
        }
        // A deactivated account gets the same answer as a wrong password.
        const user = await prisma.user.findUnique({ where: { email }, select: { deactivatedAt: true } });
        if (user?.deactivatedAt) {
          await recordSignInFailure(email, ip, prisma);
          throw new APIError("UNAUTHORIZED", { message: INVALID_CREDENTIALS, code: "INVALID_EMAIL_OR_PASSWORD" });
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-in/email") return;
        const email = String(ctx.body?.email ?? "")
          .trim()
          .toLowerCase();
        const ip = clientIp(ctx.headers);
        const userAgent = ctx.headers?.get("user-agent") ?? null;
        const returned = ctx.context.returned;
        if (returned instanceof APIError) {
          if (returned.statusCode === 429) return;
          await recordSignInFailure(email, ip, prisma);
          await appendAudit(
            {
              actor: { kind: "system", label: "sign-in", ip, userAgent },
              action: "sign_in.failure",
              target: await signInTarget(email, prisma),
              summary: { status: returned.statusCode },
            },
            prisma,
          );
          return;
        }
        const session = ctx.context.newSession;
        if (session) {
          await clearSignInFailures(email, prisma);
          await appendAudit(
            {
              actor: { kind: "user", id: session.user.id, label: session.user.email, role: session.user.role as Role, ip, userAgent },
              action: "sign_in.success",
              target: { type: "user", id: session.user.id },
            },
            prisma,
          );
        }
      }),
    },
    plugins: [nextCookies()],
  });
}

/**
 * What a failed sign-in was aimed at: the user, by id, when the email is one;
 * otherwise a digest of what was typed. Never the typed text itself: people
 * type passwords into the email field.
 */
async function signInTarget(email: string, prisma: PrismaClient) {
  const user = await prisma.user.findUnique({ where: { email }, select: { id: true } });
  return user
    ? { type: "user", id: user.id }
    : { type: "unknown_account", id: createHash("sha256").update(email).digest("hex").slice(0, 16) };
}

export type Auth = ReturnType<typeof createAuth>;

// One auth instance per Prisma client (tests install a fresh database per file).
const instances = new WeakMap<PrismaClient, Auth>();

export async function getAuth(): Promise<Auth> {
  const prisma = await getPrisma();
  let auth = instances.get(prisma);
  if (!auth) {
    auth = createAuth(prisma);
    instances.set(prisma, auth);
  }
  return auth;
}
