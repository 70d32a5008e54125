"use server";

import type { Role } from "../auth/permissions.ts";
import { getPrisma } from "../db/index.ts";
import { actionActor } from "../auth/action-actor.ts";
import { settingsChange } from "../users/action-support.ts";
import { issueApiKey, revokeApiKey } from "../users/api-keys.ts";
import { ApiKeyIdSchema, CreateApiKeySchema } from "../validations/api-keys.ts";
import { invalid, type ActionResult } from "./result.ts";

// Thin on purpose: who is asking, is the input well formed, then lib/users/api-keys.ts.

/** `key` is the only time the key leaves the server; the page shows it once. */
export type CreatedApiKey = { id: string; name: string; role: Role; prefix: string; key: string };
export type RevokedApiKey = { name: string; changed: boolean };
type State<T> = ActionResult<T> | undefined;

export async function createApiKeyAction(_previous: State<CreatedApiKey>, form: FormData): Promise<ActionResult<CreatedApiKey>> {
  const caller = await actionActor("api_keys:manage");
  if ("failure" in caller) return caller.failure;
  const parsed = CreateApiKeySchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return invalid(parsed.error);
  return settingsChange(async () => {
    const { id, name, role, prefix, key } = await issueApiKey(await getPrisma(), caller.actor, parsed.data);
    return { id, name, role, prefix, key };
  });
}

export async function revokeApiKeyAction(_previous: State<RevokedApiKey>, form: FormData): Promise<ActionResult<RevokedApiKey>> {
  const caller = await actionActor("api_keys:manage");
  if ("failure" in caller) return caller.failure;
  const parsed = ApiKeyIdSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return invalid(parsed.error);
  return settingsChange(async () => {
    const { key, changed } = await revokeApiKey(await getPrisma(), caller.actor, parsed.data);
    return { name: key.name, changed };
  });
}
