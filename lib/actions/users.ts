"use server";

import type { z } from "zod";
import type { Actor } from "../auth/actor.ts";
import type { Role } from "../auth/permissions.ts";
import { changeUserRole, createUser, deactivateUser, reactivateUser, type UserChange } from "../users/manage.ts";
import { endUserSessions } from "../users/account.ts";
import { ChangeUserRoleSchema, CreateUserSchema, UserIdSchema } from "../validations/users.ts";
import { defineAction } from "./define.ts";

// Thin on purpose (see define.ts): the domain functions in lib/users hold the
// rules and write the audit entries.

export type CreatedUser = { id: string; email: string; name: string; role: Role; generatedPassword: string | null };
export type ChangedUser = { email: string; role: Role; changed: boolean };

const settings = { revalidate: "/settings" };

/** The three changes to an existing user answer alike: who, with what role, whether anything changed. */
function userChange<S extends z.ZodType>(schema: S, change: (actor: Actor, input: z.output<S>) => Promise<UserChange>) {
  return defineAction(
    "users:manage",
    schema,
    async (input, actor): Promise<ChangedUser> => {
      const { user, changed } = await change(actor, input);
      return { email: user.email, role: user.role, changed };
    },
    settings,
  );
}

export const createUserAction = defineAction(
  "users:manage",
  CreateUserSchema,
  async (input, actor): Promise<CreatedUser> => {
    const { user, generatedPassword } = await createUser(actor, input);
    return { id: user.id, email: user.email, name: user.name, role: user.role, generatedPassword };
  },
  settings,
);

export const changeUserRoleAction = userChange(ChangeUserRoleSchema, changeUserRole);
export const deactivateUserAction = userChange(UserIdSchema, deactivateUser);
export const reactivateUserAction = userChange(UserIdSchema, reactivateUser);

/** Signs a user out everywhere, without deactivating them. */
export const endUserSessionsAction = defineAction(
  "users:manage",
  UserIdSchema,
  async (input, actor) => endUserSessions(actor, input),
  settings,
);
