import { z } from "zod";

export const SignInSchema = z.object({
  email: z
    .email("Enter the email address you sign in with")
    .max(254)
    .transform((e) => e.toLowerCase()),
  password: z.string().min(1, "Enter your password").max(256),
  // Only a path inside this app: never an open redirect.
  next: z
    .string()
    .regex(/^\/(?!\/)[^\s\\]*$/)
    .optional()
    .catch(undefined),
});
