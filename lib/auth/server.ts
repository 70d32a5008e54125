import "server-only";
import { createHash } from "node:crypto";
import { APIError, BASE_ERROR_CODES, betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { createAuthMiddleware } from "better-auth/api";
import { nextCookies } from "better-auth/next-js";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { appendAudit } from "../audit/append.ts";
import { getPrisma } from "../db/index.ts";
import { CLIENT_IP_HEADER, clientIp } from "./client-ip.ts";
import { ROLES, type Role } from "./permissions.ts";
import { authSecret } from "./secret.ts";
import { credentialAttempt, keepsReservation } from "./sign-in-limits.ts";
import { SESSION_MAX_SECONDS, releaseSignInAttempt, reserveSignInAttempt } from "./sign-in-policy.ts";

/** better-auth's own answer to a wrong password, so every refusal reads the same. */
export const INVALID_CREDENTIALS: string = BASE_ERROR_CODES.INVALID_EMAIL_OR_PASSWORD.message;

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
      // better-auth skips its origin check under test runners; ours check it as production does.
      disableOriginCheck: false,
      database: { generateId: "uuid" },
      useSecureCookies: process.env.NODE_ENV === "production" || process.env.BETTER_AUTH_URL?.startsWith("https:"),
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
      // Its rate limiter and session rows read the address lib/auth/client-ip.ts resolved, never X-Forwarded-For as sent.
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
    },
    // Per-IP request limit on the HTTP endpoints; per-account lockout is in the hooks.
    rateLimit: { enabled: true, window: 60, max: 200, customRules: { "/sign-in/email": { window: 60, max: 30 } } },
    hooks: {
      // The attempt is reserved here, before better-auth checks the password,
      // and given back in the after hook unless it was a credential failure.
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-in/email") return;
        const attempt = credentialAttempt(ctx.body);
        if (!attempt) return;
        const { email } = attempt;
        const ip = clientIp(ctx.headers);
        const userAgent = ctx.headers?.get("user-agent") ?? null;
        const reservation = await reserveSignInAttempt(email, ip, prisma);
        if (!reservation.ok) {
          await appendAudit(
            {
              actor: { kind: "system", label: "sign-in", ip, userAgent },
              action: "sign_in.locked",
              target: await signInTarget(email, prisma),
              summary: { reason: reservation.lockout.reason },
            },
            prisma,
          );
          throw new APIError("TOO_MANY_REQUESTS", { message: reservation.lockout.message, code: "SIGN_IN_LOCKED" });
        }
        // A deactivated account gets a wrong password's answer, in its time:
        // one scrypt hash, as better-auth spends on an unknown email.
        const user = await prisma.user.findUnique({ where: { email }, select: { deactivatedAt: true } });
        if (user?.deactivatedAt) {
          await ctx.context.password.hash(String(ctx.body.password));
          await appendAudit(
            {
              actor: { kind: "system", label: "sign-in", ip, userAgent },
              action: "sign_in.failure",
              target: await signInTarget(email, prisma),
              summary: { status: 401 },
            },
            prisma,
          );
          throw APIError.from("UNAUTHORIZED", BASE_ERROR_CODES.INVALID_EMAIL_OR_PASSWORD);
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-in/email") return;
        // The before hook reserved an attempt for exactly these bodies.
        const attempt = credentialAttempt(ctx.body);
        if (!attempt) return;
        const { email } = attempt;
        const ip = clientIp(ctx.headers);
        const userAgent = ctx.headers?.get("user-agent") ?? null;
        const returned = ctx.context.returned;
        const status = returned instanceof APIError ? returned.statusCode : null;
        if (!keepsReservation(status)) await releaseSignInAttempt(email, ip, prisma);
        if (returned instanceof APIError) {
          if (returned.statusCode === 429) return;
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
