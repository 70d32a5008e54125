"use server";

import { changeOwnPassword, currentSessionId, endOwnSession } from "../users/account.ts";
import { ChangePasswordSchema, SessionIdSchema } from "../validations/account.ts";
import { defineAction } from "./define.ts";

// The signed-in person's own account (/account): any role.

const account = { revalidate: "/account" };

export const changeOwnPasswordAction = defineAction(
  "account:self",
  ChangePasswordSchema,
  async (input, actor) => changeOwnPassword(actor, input, await currentSessionId()),
  account,
);

export const endOwnSessionAction = defineAction(
  "account:self",
  SessionIdSchema,
  async (input, actor) => endOwnSession(actor, input),
  account,
);
