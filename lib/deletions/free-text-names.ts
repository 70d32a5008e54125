// How free-text.ts recognises a person's name and email in a sentence:
// folding away case, accents and letters people type otherwise (ß as ss,
// ø as o, ü as ue or u), the forms a name is typed in (O'Brien as obrien,
// Anne-Marie as annemarie), and the parts too common to take out alone.

const LETTERS: Readonly<Record<string, string>> = { ß: "ss", ø: "o", ł: "l", đ: "d", æ: "ae", œ: "oe", þ: "th", ı: "i", ð: "d" };
const GERMAN: Readonly<Record<string, string>> = { ä: "ae", ö: "oe", ü: "ue" };

/** Lower case without accents, and letters without a decomposition spelled out: how names and words are compared. */
export const fold = (value: string) =>
  value
    .toLowerCase()
    .replace(/[ßøłđæœþıð]/g, (c) => LETTERS[c]!)
    .normalize("NFKD")
    .replace(/\p{M}/gu, "");

/** The parts of a name worth recognising alone (two letters or more), folded. */
export function nameParts(name: string | null | undefined): string[] {
  if (!name) return [];
  return fold(name)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((part) => part.length >= 2);
}

/**
 * Every folded form a part of the name may be typed in: each part (Müller as
 * muller and mueller), and parts joined by an apostrophe or hyphen written
 * together (O'Brien as obrien).
 */
export function nameForms(name: string | null | undefined): string[] {
  if (!name) return [];
  const forms = new Set(nameParts(name));
  const lower = name.toLowerCase();
  if (/[äöü]/.test(lower)) for (const part of nameParts(lower.replace(/[äöü]/g, (c) => GERMAN[c]!))) forms.add(part);
  for (const joined of lower.split(/\s+/)) {
    const together = fold(joined).replace(/[^\p{L}\p{N}]+/gu, "");
    if (together.length >= 3) forms.add(together);
  }
  return [...forms];
}

// Mailboxes that name a role, not a person: their local part is no identifier.
const ROLE_MAILBOXES = new Set(
  "info admin contact support privacy gdpr dpo hello sales office mail team noreply service help billing accounts hr legal".split(" "),
);

/** An email's local part, as typed and in pieces, without a +tag: what a person's email gives away in a sentence. */
export function localPartForms(email: string | null | undefined): { whole: string | null; pieces: string[] } {
  const local = fold(email?.split("@")[0] ?? "").replace(/\+.*$/, "");
  if (local.length < 3 || ROLE_MAILBOXES.has(local)) return { whole: null, pieces: [] };
  const pieces = local.split(/[._-]+/).filter((p) => p.length >= 3 && !ROLE_MAILBOXES.has(p) && !/^\d+$/.test(p));
  return { whole: local, pieces: pieces.length > 1 ? pieces : [] };
}

// Parts of names that are also everyday words (and name particles): taken out
// only beside another part of the same person's name when a text concerns
// several people, so "in May" survives a file that lists a Will May.
const COMMON_WORDS = new Set(
  (
    "the and for you are was not but can had her his him she they them this that with from have will may might must said " +
    "asked call called day days week weeks month months year years law art hope joy faith grace mark bill rose grant " +
    "young king long white black brown green gray grey page price rich summer winter autumn spring dawn frank earl " +
    "hunt hunter ray guy sue pat don jack bob june april august march january february october november december " +
    "van von der den del della des dos das los las bin ibn mac new old good best love angel star sky"
  ).split(" "),
);

/** Whether a folded name part is also an everyday word. */
export const isEverydayWord = (part: string) => COMMON_WORDS.has(part);
