import { z } from "zod";
import { ROLES } from "../auth/permissions.ts";
import { text } from "./text.ts";

export const CreateApiKeySchema = z.object({
  name: text().trim().min(1, "Name the key after the client that will use it").max(120, "Keep the name under 120 characters"),
  role: z.enum(ROLES, { message: "Choose one of the roles" }),
});
export type CreateApiKeyInput = z.infer<typeof CreateApiKeySchema>;

export const ApiKeyIdSchema = z.object({ keyId: z.uuid("Choose a key from the list") });
export type ApiKeyIdInput = z.infer<typeof ApiKeyIdSchema>;
