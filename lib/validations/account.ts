import { z } from "zod";
import { passwordWeakness } from "../users/password-strength.ts";
import { text } from "./text.ts";

/** Changing one's own password: the current one, and a new one that is strong, confirmed and different. */
export const ChangePasswordSchema = z
  .object({
    currentPassword: text().min(1, "Enter your current password").max(256, "Keep the password under 256 characters"),
    newPassword: text().max(256, "Keep the password under 256 characters"),
    confirmPassword: text().max(256),
  })
  .superRefine((input, ctx) => {
    const weakness = passwordWeakness(input.newPassword);
    if (weakness) ctx.addIssue({ code: "custom", path: ["newPassword"], message: weakness });
    else if (input.newPassword === input.currentPassword)
      ctx.addIssue({ code: "custom", path: ["newPassword"], message: "Choose a password other than the current one" });
    if (input.confirmPassword !== input.newPassword)
      ctx.addIssue({ code: "custom", path: ["confirmPassword"], message: "Type the new password the same way twice" });
  });
export type ChangePasswordInput = z.infer<typeof ChangePasswordSchema>;

/** One of the caller's own sessions, by id. */
export const SessionIdSchema = z.object({ sessionId: z.uuid("Choose a session from the list") });
export type SessionIdInput = z.infer<typeof SessionIdSchema>;
