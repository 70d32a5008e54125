"use server";

import { APIError } from "better-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { appendAudit } from "../audit/append.ts";
import { getCurrentUser } from "../auth/session.ts";
import { withClientIp } from "../auth/client-ip.ts";
import { getAuth, INVALID_CREDENTIALS } from "../auth/server.ts";
import { SignInSchema } from "../validations/auth.ts";
import { definePublicAction } from "./define.ts";
import type { ActionFailure } from "./result.ts";

/** better-auth's refusals: a lockout says so (429), every other one is the same "invalid" answer. */
function refusedSignIn(error: unknown): ActionFailure | null {
  if (!(error instanceof APIError)) return null;
  return { ok: false, error: error.statusCode === 429 ? error.message : INVALID_CREDENTIALS };
}

export const signInAction = definePublicAction(
  SignInSchema,
  async ({ email, password, next }) => {
    const auth = await getAuth();
    await auth.api.signInEmail({ body: { email, password }, headers: withClientIp(await headers()) });
    redirect(next ?? "/customers");
  },
  { failure: refusedSignIn },
);

// Public: it ends the caller's own session, if there is one. Takes no input.
export const signOutAction = definePublicAction(z.object({}), async () => {
  const user = await getCurrentUser();
  await (await getAuth()).api.signOut({ headers: await headers() });
  if (user) await appendAudit({ actor: user, action: "sign_out", target: { type: "user", id: user.id } });
  redirect("/sign-in");
});
