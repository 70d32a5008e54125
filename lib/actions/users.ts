"use server";

import type { Role } from "../auth/permissions.ts";
import { getPrisma } from "../db/index.ts";
import { actionActor } from "../auth/action-actor.ts";
import { settingsChange } from "../users/action-support.ts";
import { changeUserRole, createUser, deactivateUser, reactivateUser } from "../users/manage.ts";
import { ChangeUserRoleSchema, CreateUserSchema, UserIdSchema } from "../validations/users.ts";
import { invalid, type ActionResult } from "./result.ts";

// Thin on purpose: who is asking, is the input well formed, then the domain
// function in lib/users, which holds the rules and writes the audit entry.

export type CreatedUser = { id: string; email: string; name: string; role: Role; generatedPassword: string | null };
export type ChangedUser = { email: string; role: Role; changed: boolean };
type State<T> = ActionResult<T> | undefined;

export async function createUserAction(_previous: State<CreatedUser>, form: FormData): Promise<ActionResult<CreatedUser>> {
  const caller = await actionActor("users:manage");
  if ("failure" in caller) return caller.failure;
  const parsed = CreateUserSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return invalid(parsed.error);
  return settingsChange(async () => {
    const { user, generatedPassword } = await createUser(await getPrisma(), caller.actor, parsed.data);
    return { id: user.id, email: user.email, name: user.name, role: user.role, generatedPassword };
  });
}

export async function changeUserRoleAction(_previous: State<ChangedUser>, form: FormData): Promise<ActionResult<ChangedUser>> {
  const caller = await actionActor("users:manage");
  if ("failure" in caller) return caller.failure;
  const parsed = ChangeUserRoleSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return invalid(parsed.error);
  return settingsChange(async () => {
    const { user, changed } = await changeUserRole(await getPrisma(), caller.actor, parsed.data);
    return { email: user.email, role: user.role, changed };
  });
}

export async function deactivateUserAction(_previous: State<ChangedUser>, form: FormData): Promise<ActionResult<ChangedUser>> {
  const caller = await actionActor("users:manage");
  if ("failure" in caller) return caller.failure;
  const parsed = UserIdSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return invalid(parsed.error);
  return settingsChange(async () => {
    const { user, changed } = await deactivateUser(await getPrisma(), caller.actor, parsed.data);
    return { email: user.email, role: user.role, changed };
  });
}

export async function reactivateUserAction(_previous: State<ChangedUser>, form: FormData): Promise<ActionResult<ChangedUser>> {
  const caller = await actionActor("users:manage");
  if ("failure" in caller) return caller.failure;
  const parsed = UserIdSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return invalid(parsed.error);
  return settingsChange(async () => {
    const { user, changed } = await reactivateUser(await getPrisma(), caller.actor, parsed.data);
    return { email: user.email, role: user.role, changed };
  });
}
