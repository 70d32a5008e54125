import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as english from "@zxcvbn-ts/language-en";
import { MIN_PASSWORD_LENGTH } from "./password-policy.ts";

// Password strength by zxcvbn (the zxcvbn-ts port): it knows tens of thousands
// of common passwords, names and words, and sees repeats ("aaaaaaaaaaaa"),
// sequences, keyboard walks, dates and l33t speak — the rules we would
// otherwise write by hand, and worse. Server-side only (its lists are large).

/** zxcvbn scores 0–4; 3 is "safely unguessable: moderate protection from offline slow-hash attacks". */
export const MIN_PASSWORD_SCORE = 3;

let factory: ZxcvbnFactory | undefined;
const zxcvbn = () =>
  (factory ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...english.dictionary },
    graphs: common.adjacencyGraphs,
    translations: english.translations,
  }));

/**
 * Null when `password` is strong enough, else why not, in words for the form.
 * `userInputs` (the person's email and name) count as guessable too.
 */
export function passwordWeakness(password: string, userInputs: readonly string[] = []): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters`;
  // Whole inputs and their parts: "ada.lovelace@example.com" gives "ada.lovelace", "adalovelace", "ada", "lovelace", …
  const inputs = userInputs
    .flatMap((input) => {
      const local = input.split("@")[0]!;
      return [input, local, local.replace(/[^\p{L}\p{N}]/gu, ""), ...input.split(/[@.\s_-]+/)];
    })
    .filter((s) => s.length >= 3);
  const result = zxcvbn().check(password, [...new Set(inputs.map((s) => s.toLowerCase()))]);
  if (result.score >= MIN_PASSWORD_SCORE) return null;
  const why = result.feedback.warning ?? result.feedback.suggestions[0];
  return `Too easy to guess${why ? `: ${why.replace(/\.$/, "")}` : ""}. Try a few unrelated words, or let the app generate one`;
}
