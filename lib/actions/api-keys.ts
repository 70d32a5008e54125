"use server";

import type { Role } from "../auth/permissions.ts";
import { issueApiKey, revokeApiKey } from "../users/api-keys.ts";
import { ApiKeyIdSchema, CreateApiKeySchema } from "../validations/api-keys.ts";
import { defineAction } from "./define.ts";

// Thin on purpose (see define.ts): the rules live in lib/users/api-keys.ts.

/** `key` is the only time the key leaves the server; the page shows it once. */
export type CreatedApiKey = { id: string; name: string; role: Role; prefix: string; key: string };
export type RevokedApiKey = { name: string; changed: boolean };

export const createApiKeyAction = defineAction(
  "api_keys:manage",
  CreateApiKeySchema,
  async (input, actor): Promise<CreatedApiKey> => {
    const { id, name, role, prefix, key } = await issueApiKey(actor, input);
    return { id, name, role, prefix, key };
  },
  { revalidate: "/settings" },
);

export const revokeApiKeyAction = defineAction(
  "api_keys:manage",
  ApiKeyIdSchema,
  async (input, actor): Promise<RevokedApiKey> => {
    const { key, changed } = await revokeApiKey(actor, input);
    return { name: key.name, changed };
  },
  { revalidate: "/settings" },
);
