/**
 * The shortest initial password an admin may set: better-auth's own
 * minPasswordLength (lib/auth/server.ts). Apart from the zod schemas so the
 * dialog can say it without shipping zod to the browser.
 */
export const MIN_PASSWORD_LENGTH = 12;
