import { z } from "zod";

// The one text schema every string input goes through: PostgreSQL text and
// jsonb refuse NUL (0x00), and a lone surrogate is not UTF-8, so either would
// reach the database only to fail the request with a 500.

export const UNSTORABLE_TEXT = "Cannot contain NUL characters or unpaired surrogates";

/** True when PostgreSQL can store `s` as text. */
export const isStorableText = (s: string): boolean => !s.includes("\0") && s.isWellFormed();

/** A string PostgreSQL can store; `.trim()`, `.max()` and the rest chain on as usual. */
export const text = (params?: Parameters<typeof z.string>[0]) => z.string(params).refine(isStorableText, UNSTORABLE_TEXT);

/** Any value, refused when it is a string PostgreSQL cannot store: for wrappers whose inner schema may not be a string. */
export const storableValue = z.unknown().refine((v) => typeof v !== "string" || isStorableText(v), UNSTORABLE_TEXT);
