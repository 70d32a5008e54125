import "server-only";
import { getDatabase, type Database } from "../db/index.ts";
import type { EventInput } from "../validations/events.ts";
import { evaluateEvent, type Campaign, type CampaignKind, type EventStatus, type GrantedReward, type WithheldReward } from "./campaigns.ts";
import { consentFromJoinedRow, purposeColumnList, type JoinedConsentColumns } from "../consent/model.ts";
import { erasedExternalIds } from "../deletions/lookup.ts";

/** What POST /api/events answers for each event, in the order sent. */
export interface IngestedEvent {
  index: number;
  /** loyalty_events.id; a string because it is a BIGINT. */
  id: string;
  /** The customer's external id, as the client sent it. */
  customer_id: string;
  status: EventStatus;
  points: number;
  tier_progress: number;
  rewards: GrantedReward[];
  withheld: WithheldReward[];
  withheld_reason: string | null;
  /** The client's event_id was already stored for this customer: this is that event, as it was stored then. */
  duplicate: boolean;
}

/** Some external ids name no customer; the batch was refused whole. `erased`: the indexes among them whose customer was erased. */
export class UnknownCustomersError extends Error {
  constructor(
    readonly indexes: readonly number[],
    readonly erased: readonly number[] = [],
  ) {
    super(`No customer with this external id: ${indexes.map((i) => `events[${i}].customer_id`).join(", ")}.`);
    this.name = "UnknownCustomersError";
  }
}

type CustomerRow = Omit<JoinedConsentColumns, "vendors"> & { id: string; external_id: string };
type CampaignRow = {
  name: string;
  kind: CampaignKind;
  event_type: string;
  points: number;
  points_per_amount: string;
  min_amount: string | null;
  reward: string | null;
};

// One statement for the whole batch. Ids are drawn in the CTE and returned
// with each row's position, so the answer maps to the input by construction,
// not by trusting RETURNING's row order. An event whose event_id the customer
// already has (stored before, or earlier in this batch) is skipped.
//
// The customers are locked FOR KEY SHARE (what the foreign key takes anyway)
// and must not be erased: a batch that read a customer just before an
// erasure committed waits for it here (the erasure holds the row FOR UPDATE)
// and then finds it erased (`live` rechecks erased_at on the committed row),
// so it stores nothing for them and says so (`erased`) instead of leaving the
// event's id and attributes on the erased shell.
const INSERT_EVENTS = `
WITH input AS (
  SELECT nextval('loyalty_events_id_seq'::regclass) AS id, r.*
  FROM jsonb_to_recordset($1::jsonb) AS r(
    i int, customer_id uuid, event_id text, type text, amount numeric, occurred_at timestamptz, outcome event_outcome,
    withheld_reason text, points_awarded int, tier_progress int, rewards jsonb, withheld jsonb, attributes jsonb)
), live AS (
  SELECT c.id FROM customers c WHERE c.id IN (SELECT customer_id FROM input) AND c.erased_at IS NULL FOR KEY SHARE
), inserted AS (
  INSERT INTO loyalty_events (id, customer_id, event_id, type, amount, occurred_at, outcome, withheld_reason, points_awarded, tier_progress, rewards, withheld, attributes)
  SELECT id, customer_id, event_id, type, amount, occurred_at, outcome, withheld_reason, points_awarded, tier_progress, rewards, withheld, attributes
  FROM input WHERE customer_id IN (SELECT id FROM live) ORDER BY i
  ON CONFLICT (customer_id, event_id) DO NOTHING
  RETURNING id
)
SELECT input.id, inserted.id IS NOT NULL AS stored, input.customer_id NOT IN (SELECT id FROM live) AS erased
FROM input LEFT JOIN inserted ON inserted.id = input.id ORDER BY input.i`;

// The events a batch skipped as duplicates, as stored. Its own statement: under
// READ COMMITTED it sees a copy another batch committed while this one waited.
const STORED_DUPLICATES = `
SELECT e.customer_id::text, e.event_id, e.id, e.outcome, e.points_awarded, e.tier_progress, e.rewards, e.withheld, e.withheld_reason
FROM jsonb_to_recordset($1::jsonb) AS k(customer_id uuid, event_id text)
JOIN loyalty_events e ON e.customer_id = k.customer_id AND e.event_id = k.event_id`;

type StoredRow = {
  customer_id: string;
  event_id: string;
  id: string;
  outcome: EventStatus;
  points_awarded: number;
  tier_progress: number;
  rewards: GrantedReward[];
  withheld: WithheldReward[];
  withheld_reason: string | null;
};

/**
 * Stores a batch of loyalty events with what each earned under the active
 * campaigns and the customer's consent, in one transaction.
 *
 * The batch is atomic: if any external id is unknown, nothing is written and
 * UnknownCustomersError names every such event, so a client can fix and
 * resend the whole batch without creating duplicates.
 *
 * Events are evaluated against the consent committed when the batch reads it;
 * a consent change committing meanwhile applies from the next batch on.
 *
 * No audit entry per event: events are data-plane writes at thousands per
 * second, not staff actions; the stored event (with what it earned and why)
 * is its own record.
 */
export async function ingestEvents(events: readonly EventInput[], db?: Pick<Database, "driver">): Promise<IngestedEvent[]> {
  if (events.length === 0) return [];
  const { driver } = db ?? (await getDatabase());
  const externalIds = [...new Set(events.map((e) => e.customer_id))];
  const types = [...new Set(events.map((e) => e.type))];

  return driver.transaction(async (tx) => {
    const customers = await tx.query<CustomerRow>(
      `SELECT c.id, c.external_id, cc.customer_id IS NOT NULL AS consent_recorded, ${purposeColumnList("cc")}
       FROM customers c LEFT JOIN customer_consents cc ON cc.customer_id = c.id
       WHERE c.external_id = ANY($1::text[])`,
      [externalIds],
    );
    const byExternalId = new Map(customers.map((c) => [c.external_id, c]));
    const unknown = events.flatMap((e, i) => (byExternalId.has(e.customer_id) ? [] : [i]));
    if (unknown.length > 0) {
      const erased = await erasedExternalIds(tx, [...new Set(unknown.map((i) => events[i]!.customer_id))]);
      throw new UnknownCustomersError(
        unknown,
        unknown.filter((i) => erased.has(events[i]!.customer_id)),
      );
    }

    const campaigns = (
      await tx.query<CampaignRow>(
        `SELECT name, kind, event_type, points, points_per_amount, min_amount, reward
         FROM loyalty_campaigns WHERE active AND event_type = ANY($1::text[]) ORDER BY kind, name`,
        [types],
      )
    ).map((c): Campaign => ({
      name: c.name,
      kind: c.kind,
      eventType: c.event_type,
      points: c.points,
      pointsPerAmount: Number(c.points_per_amount),
      minAmount: c.min_amount === null ? null : Number(c.min_amount),
      reward: c.reward,
    }));

    const consent = new Map(customers.map((c) => [c.external_id, consentFromJoinedRow({ ...c, vendors: null })]));
    const outcomes = events.map((e) => evaluateEvent(e, campaigns, consent.get(e.customer_id) ?? null));
    const rows = events.map((e, i) => {
      const o = outcomes[i]!;
      return {
        i,
        customer_id: byExternalId.get(e.customer_id)!.id,
        event_id: e.event_id ?? null,
        type: e.type,
        amount: e.amount,
        occurred_at: e.occurred_at.toISOString(),
        outcome: o.status,
        withheld_reason: o.withheldReason,
        points_awarded: o.points,
        tier_progress: o.tierProgress,
        rewards: o.rewards,
        withheld: o.withheld,
        attributes: e.attributes,
      };
    });
    const inserted = await tx.query<{ id: string; stored: boolean; erased: boolean }>(INSERT_EVENTS, [JSON.stringify(rows)]);
    // Erased while this batch was on its way: refused whole, as an erased external id read above would be.
    const erasedMeanwhile = inserted.flatMap((row, i) => (row.erased ? [i] : []));
    if (erasedMeanwhile.length > 0) throw new UnknownCustomersError(erasedMeanwhile, erasedMeanwhile);

    const skipped = rows.filter((_, i) => !inserted[i]!.stored);
    const stored = new Map<string, StoredRow>();
    if (skipped.length > 0) {
      const keys = skipped.map((r) => ({ customer_id: r.customer_id, event_id: r.event_id }));
      for (const row of await tx.query<StoredRow>(STORED_DUPLICATES, [JSON.stringify(keys)]))
        stored.set(`${row.customer_id} ${row.event_id}`, row);
    }

    return events.map((e, i) => {
      if (!inserted[i]!.stored) {
        const was = stored.get(`${rows[i]!.customer_id} ${rows[i]!.event_id}`)!;
        return {
          index: i,
          id: String(was.id),
          customer_id: e.customer_id,
          status: was.outcome,
          points: was.points_awarded,
          tier_progress: was.tier_progress,
          rewards: was.rewards,
          withheld: was.withheld,
          withheld_reason: was.withheld_reason,
          duplicate: true,
        };
      }
      const o = outcomes[i]!;
      return {
        index: i,
        id: inserted[i]!.id,
        customer_id: e.customer_id,
        status: o.status,
        points: o.points,
        tier_progress: o.tierProgress,
        rewards: o.rewards,
        withheld: o.withheld,
        withheld_reason: o.withheldReason,
        duplicate: false,
      };
    });
  });
}
