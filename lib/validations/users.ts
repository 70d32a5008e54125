import { z } from "zod";
import { ROLES } from "../auth/permissions.ts";
import { text } from "./text.ts";
import { MIN_PASSWORD_LENGTH } from "../users/password-policy.ts";
import { passwordWeakness } from "../users/password-strength.ts";

const userId = z.uuid("Choose a user from the list");
const role = z.enum(ROLES, { message: "Choose one of the roles" });

const NewUserBase = z.object({
  name: text().trim().min(1, "Enter the person's name").max(120, "Keep the name under 120 characters"),
  // Trimmed and lower-cased before the format check: sign-in looks emails up that way.
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email("Enter an email address like name@example.com").max(254, "Keep the email under 254 characters")),
  role,
});

/**
 * A new user: either an initial password the admin types (at least 12
 * characters, better-auth's own minimum, and not guessable: common,
 * repetitive or the person's own name or email are refused) or one generated
 * and shown once.
 */
const CreateUserShape = z.discriminatedUnion(
  "passwordMode",
  [
    NewUserBase.extend({
      passwordMode: z.literal("set"),
      password: z
        .string()
        .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`)
        .max(256, "Keep the password under 256 characters"),
    }),
    NewUserBase.extend({ passwordMode: z.literal("generate") }),
  ],
  { error: "Choose whether to set or generate the password" },
);
export const CreateUserSchema = CreateUserShape.superRefine((user, ctx) => {
  if (user.passwordMode !== "set") return;
  const weakness = passwordWeakness(user.password, [user.email, user.name]);
  if (weakness) ctx.addIssue({ code: "custom", path: ["password"], message: weakness });
});
export type CreateUserInput = z.infer<typeof CreateUserSchema>;

export const ChangeUserRoleSchema = z.object({ userId, role });
export type ChangeUserRoleInput = z.infer<typeof ChangeUserRoleSchema>;

export const UserIdSchema = z.object({ userId });
export type UserIdInput = z.infer<typeof UserIdSchema>;
