// How a worker shares its in-flight slots among integrations (issue 16,
// item 4; README "Delivery and retries"). Pure: CLAIM_SQL in claim-sql.ts
// applies the same rule in one statement for speed, and
// __tests__/fair-claim.db.test.ts checks its choices against fairPick.
//
// A slot is one request in flight. Each due signal is given the slot number it
// would take within its integration: what the worker already holds of that
// integration plus its rank among the integration's due signals, oldest due
// first. A claim takes the lowest slot numbers first (round-robin across
// integrations; the older due first among equals), up to the free slots and
// never past the cap. So n integrations with work each get about 1/n of the
// slots, an integration with less work leaves its part to the others, and one
// that never answers holds at most its share until its requests time out:
// it delays only its own signals. Within one integration the oldest due still
// go first (a delete queued behind an in-flight consent change's lease comes
// after it, as lib/deletions/erase.ts needs).

/** The part of a worker's slots one integration may hold, however little else is due. */
const MAX_SHARE = 3 / 4;

/**
 * The most slots one integration may hold: three quarters of the worker's
 * concurrency (at least one), so there are always slots free for the next
 * integration whose work arrives, even while this one's requests hang.
 */
export function slotCap(concurrency: number): number {
  return Math.max(1, Math.floor(concurrency * MAX_SHARE));
}

export interface DueSignal {
  id: string;
  integrationId: string;
  /** When it fell due, in ms. */
  dueAt: number;
}

/** Orders as the claim's ORDER BY next_attempt_at, id does (uuids compare as their lowercase text). */
const byDue = (a: DueSignal, b: DueSignal) => a.dueAt - b.dueAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The signals a claim of `free` slots takes from `due` (every due, unclaimed
 * signal of an enabled integration), given what the worker holds of each
 * integration (`held`, by integration id) and the per-integration `cap`: in
 * the order they are claimed.
 */
export function fairPick(due: readonly DueSignal[], held: ReadonlyMap<string, number>, free: number, cap: number): string[] {
  const byIntegration = new Map<string, DueSignal[]>();
  for (const signal of due) byIntegration.set(signal.integrationId, [...(byIntegration.get(signal.integrationId) ?? []), signal]);
  const ranked: { signal: DueSignal; slot: number }[] = [];
  for (const [integrationId, signals] of byIntegration) {
    const holding = held.get(integrationId) ?? 0;
    signals.sort(byDue).forEach((signal, i) => {
      if (holding + i + 1 <= cap) ranked.push({ signal, slot: holding + i + 1 });
    });
  }
  ranked.sort((a, b) => a.slot - b.slot || byDue(a.signal, b.signal));
  return ranked.slice(0, Math.max(0, free)).map((r) => r.signal.id);
}
