"use server";

import { APIError } from "better-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { appendAudit } from "../audit/append.ts";
import { getCurrentUser } from "../auth/session.ts";
import { getAuth, INVALID_CREDENTIALS } from "../auth/server.ts";
import { getPrisma } from "../db/index.ts";
import { SignInSchema } from "../validations/auth.ts";
import { invalid, type ActionResult } from "./result.ts";

export async function signInAction(_previous: ActionResult | undefined, form: FormData): Promise<ActionResult> {
  const parsed = SignInSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return invalid(parsed.error);
  const { email, password, next } = parsed.data;
  try {
    const auth = await getAuth();
    await auth.api.signInEmail({ body: { email, password }, headers: await headers() });
  } catch (error) {
    if (error instanceof APIError) {
      return { ok: false, error: error.statusCode === 429 ? error.message : INVALID_CREDENTIALS };
    }
    throw error;
  }
  redirect(next ?? "/customers");
}

export async function signOutAction(): Promise<void> {
  const user = await getCurrentUser();
  const requestHeaders = await headers();
  await (await getAuth()).api.signOut({ headers: requestHeaders });
  if (user) {
    await appendAudit(await getPrisma(), { actor: user, action: "sign_out", target: { type: "user", id: user.id } });
  }
  redirect("/sign-in");
}
