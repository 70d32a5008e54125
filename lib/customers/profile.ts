import "server-only";
import { z } from "zod";
import { consentFromPrisma, type ConsentState } from "../consent/model.ts";
import { isPurpose, type Purpose } from "../consent/purposes.ts";
import { getPrisma } from "../db/index.ts";
import type { SignalKind, SignalStatus } from "../generated/prisma/enums.ts";

export const CustomerIdSchema = z.guid();
export const RECENT_EVENTS = 20;

export interface CustomerProfile {
  id: string;
  externalId: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  pushToken: string | null;
  attributes: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
  /** Set once the customer was erased (lib/deletions/erase.ts): the profile then holds nothing identifying, and the page says so. */
  erasure: { erasedAt: Date; requestId: string | null } | null;
  consent: ConsentState;
  consentMeta: { version: number; recordedAt: Date; updatedAt: Date; consentTimestamp: Date | null; consentString: string | null } | null;
  audiences: Array<{ id: string; name: string; email: string | null; pushToken: string | null; joinedAt: Date }>;
  journeys: Array<{ id: string; name: string; journeyStatus: string; status: string; step: string | null; enrolledAt: Date }>;
  events: Array<{
    id: string;
    type: string;
    amount: string | null;
    occurredAt: Date;
    outcome: "processed" | "partially_withheld" | "withheld";
    withheldReason: string | null;
    pointsAwarded: number;
    tierProgress: number;
    rewards: Array<{ kind: "coupon" | "punchcard"; campaign: string; reward: string }>;
    withheld: Array<{ kind: string; campaign: string; purpose: string }>;
  }>;
  integrations: Array<{ id: string; name: string; vendor: string; purposes: Purpose[]; enabled: boolean }>;
  /** The newest signals queued to integrations about this customer (the outbox). */
  signals: Array<{
    id: string;
    integration: string;
    kind: SignalKind;
    status: SignalStatus;
    allowed: boolean | null;
    attempts: number;
    createdAt: Date;
  }>;
}

export const RECENT_SIGNALS = 10;

/** Everything the profile page shows, or null for an id that is malformed or unknown. */
export async function getCustomerProfile(rawId: string): Promise<CustomerProfile | null> {
  const parsed = CustomerIdSchema.safeParse(rawId);
  if (!parsed.success) return null;
  const id = parsed.data;
  const prisma = await getPrisma();
  const [customer, memberships, enrolments, events, integrations, signals] = await Promise.all([
    prisma.customer.findUnique({ where: { id }, include: { consent: true, deletionRequest: { select: { id: true } } } }),
    prisma.audienceMembership.findMany({
      where: { customerId: id },
      select: { email: true, pushToken: true, joinedAt: true, audience: { select: { id: true, name: true } } },
      orderBy: { audience: { name: "asc" } },
    }),
    prisma.journeyEnrolment.findMany({
      where: { customerId: id },
      select: { status: true, step: true, enrolledAt: true, journey: { select: { id: true, name: true, status: true } } },
      orderBy: { enrolledAt: "desc" },
    }),
    prisma.loyaltyEvent.findMany({
      where: { customerId: id },
      orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
      take: RECENT_EVENTS,
      select: {
        id: true,
        type: true,
        amount: true,
        occurredAt: true,
        outcome: true,
        withheldReason: true,
        pointsAwarded: true,
        tierProgress: true,
        rewards: true,
        withheld: true,
      },
    }),
    // Paused ones too: consent names their vendors as well, and the panel shows them as paused.
    prisma.integration.findMany({
      orderBy: { name: "asc" },
      select: { id: true, name: true, vendor: true, purposes: true, enabled: true },
    }),
    prisma.integrationSignal.findMany({
      where: { customerId: id },
      orderBy: { createdAt: "desc" },
      take: RECENT_SIGNALS,
      select: {
        id: true,
        kind: true,
        status: true,
        attempts: true,
        createdAt: true,
        payload: true,
        integration: { select: { name: true } },
      },
    }),
  ]);
  if (!customer) return null;

  const c = customer.consent;
  return {
    id: customer.id,
    externalId: customer.externalId,
    name: customer.name,
    email: customer.email,
    phone: customer.phone,
    pushToken: customer.pushToken,
    attributes: (customer.attributes ?? {}) as Record<string, unknown>,
    createdAt: customer.createdAt,
    updatedAt: customer.updatedAt,
    erasure: customer.erasedAt ? { erasedAt: customer.erasedAt, requestId: customer.deletionRequest?.id ?? null } : null,
    consent: consentFromPrisma(c),
    consentMeta: c
      ? {
          version: c.version,
          recordedAt: c.recordedAt,
          updatedAt: c.updatedAt,
          consentTimestamp: c.consentTimestamp,
          consentString: c.consentString,
        }
      : null,
    audiences: memberships.map((m) => ({
      id: m.audience.id,
      name: m.audience.name,
      email: m.email,
      pushToken: m.pushToken,
      joinedAt: m.joinedAt,
    })),
    journeys: enrolments.map((e) => ({
      id: e.journey.id,
      name: e.journey.name,
      journeyStatus: e.journey.status,
      status: e.status,
      step: e.step,
      enrolledAt: e.enrolledAt,
    })),
    events: events.map((e) => ({
      ...e,
      id: e.id.toString(),
      amount: e.amount?.toFixed(2) ?? null,
      // jsonb written only by lib/events/ingest.ts (and '[]' by default), in these shapes.
      rewards: (Array.isArray(e.rewards) ? e.rewards : []) as CustomerProfile["events"][number]["rewards"],
      withheld: (Array.isArray(e.withheld) ? e.withheld : []) as CustomerProfile["events"][number]["withheld"],
    })),
    integrations: integrations.map((i) => ({ ...i, purposes: i.purposes.filter(isPurpose) })),
    signals: signals.map((sig) => {
      const allowed = (sig.payload as { allowed?: unknown } | null)?.allowed;
      return {
        id: sig.id,
        integration: sig.integration.name,
        kind: sig.kind,
        status: sig.status,
        attempts: sig.attempts,
        createdAt: sig.createdAt,
        allowed: typeof allowed === "boolean" ? allowed : null,
      };
    }),
  };
}
