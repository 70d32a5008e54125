"use server";

import { DeliveryRetryError, retryFailedSignals, retrySignal, type RetriedSignals } from "../delivery/retry.ts";
import { RetryFailedSignalsSchema, RetrySignalSchema } from "../validations/deliveries.ts";
import { defineAction } from "./define.ts";

// Thin on purpose (see define.ts): the rules live in lib/delivery/retry.ts.

export type RetryResult = { integrationId: string; count: number; remaining: number };

const summary = (r: RetriedSignals): RetryResult => ({ integrationId: r.integrationId, count: r.ids.length, remaining: r.remaining });

/** A refusal of the retry rules (not failed, paused, gone) as the page shows it. */
const refused = (error: unknown) => (error instanceof DeliveryRetryError ? { ok: false as const, error: error.message } : null);

const pages = (_input: unknown, data: RetryResult) => ["/integrations", `/integrations/${data.integrationId}`];

/** Retries one failed signal: same id (webhook-id), a fresh retry schedule. */
export const retrySignalAction = defineAction(
  "deliveries:retry",
  RetrySignalSchema,
  async ({ signalId }, actor) => summary(await retrySignal(actor, signalId)),
  { revalidate: pages, failure: refused },
);

/** Retries every failed signal of an integration (up to the bulk limit). */
export const retryFailedSignalsAction = defineAction(
  "deliveries:retry",
  RetryFailedSignalsSchema,
  async ({ integrationId }, actor) => summary(await retryFailedSignals(actor, integrationId)),
  { revalidate: pages, failure: refused },
);
