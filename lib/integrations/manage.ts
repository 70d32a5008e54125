import "server-only";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import { appendAudit, type AuditAction, type AuditJson, type AuditSummary } from "../audit/append.ts";
import { authorize, type Actor } from "../auth/actor.ts";
import { isPurpose, type Purpose } from "../consent/purposes.ts";
import { getPrisma } from "../db/index.ts";
import { notifySignalsDue } from "../delivery/notify.ts";
import { generateSigningSecret } from "../delivery/signing.ts";
import {
  VENDOR_CANNOT_CHANGE,
  type CreateIntegrationInput,
  type RotateSecretInput,
  type UpdateIntegrationInput,
} from "../validations/integrations.ts";
import { endpointAddressProblem, type EndpointCheckOptions } from "./endpoint.ts";
import { DUPLICATE_VENDOR_MESSAGE, IntegrationInputError, IntegrationNotFoundError, isDuplicateVendor } from "./errors.ts";

export { sendTestSignal, type TestSignalResult } from "./test-signal.ts";

// The domain side of Settings → Integrations and /api/integrations: the
// actions and the routes call these, so each rule lives once. Every change is
// one transaction whose last statement is its audit entry. Signing secrets
// leave only in the results of createIntegration and rotateSigningSecret,
// once; nothing else reads them out, and no audit entry holds one.

/** What every function here selects: never a secret. */
export const INTEGRATION_FIELDS = {
  id: true,
  name: true,
  vendor: true,
  endpoint: true,
  purposes: true,
  enabled: true,
  disabledReason: true,
  disabledAt: true,
  previousSecretExpiresAt: true,
  createdAt: true,
  updatedAt: true,
} as const satisfies Prisma.IntegrationSelect;
type IntegrationRow = Prisma.IntegrationGetPayload<{ select: typeof INTEGRATION_FIELDS }>;

/** Connected: signals are sent. Paused: an admin stopped them. Disabled: the endpoint answered 410 Gone. */
export type IntegrationStatus = "connected" | "paused" | "disabled";

export type IntegrationView = {
  id: string;
  name: string;
  vendor: string;
  endpointUrl: string;
  purposes: Purpose[];
  enabled: boolean;
  status: IntegrationStatus;
  disabledReason: string | null;
  disabledAt: Date | null;
  /** Until when the secret before the last rotation still signs (two signatures per request); null when it does not. */
  previousSecretValidUntil: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

export function toIntegrationView(row: IntegrationRow, now = new Date()): IntegrationView {
  const overlap = row.previousSecretExpiresAt && row.previousSecretExpiresAt > now ? row.previousSecretExpiresAt : null;
  return {
    id: row.id,
    name: row.name,
    vendor: row.vendor,
    endpointUrl: row.endpoint,
    purposes: row.purposes.filter(isPurpose),
    enabled: row.enabled,
    status: row.enabled ? "connected" : row.disabledAt ? "disabled" : "paused",
    disabledReason: row.enabled ? null : row.disabledReason,
    disabledAt: row.enabled ? null : row.disabledAt,
    previousSecretValidUntil: overlap,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** `db`: a client (tests pass theirs); the rest is how the endpoint is checked (see endpoint.ts). */
export type ManageOptions = EndpointCheckOptions & { db?: PrismaClient; now?: Date };

/**
 * The endpoint as the audit log keeps it: scheme, host and path. A query
 * string is left out (some receivers take a token there), its presence noted.
 */
function auditEndpoint(endpoint: string): string {
  const url = new URL(endpoint);
  return `${url.origin}${url.pathname}${url.search ? "?…" : ""}`;
}

function entry(actor: Actor, action: AuditAction, integration: { id: string; name: string; vendor: string }, summary: AuditSummary) {
  return {
    actor,
    action,
    target: { type: "integration", id: integration.id },
    summary: { name: integration.name, vendor: integration.vendor, ...summary },
  };
}

/** Locks the integration's row for the rest of the transaction and reads it; a missing one is refused. */
async function lockIntegration(tx: Prisma.TransactionClient, id: string): Promise<IntegrationRow> {
  await tx.$queryRaw`SELECT id FROM integrations WHERE id = ${id}::uuid FOR UPDATE`;
  const row = await tx.integration.findUnique({ where: { id }, select: INTEGRATION_FIELDS });
  if (!row) throw new IntegrationNotFoundError();
  return row;
}

/** Every integration, by name; never a secret. */
export async function listIntegrations(db?: PrismaClient): Promise<IntegrationView[]> {
  const rows = await (db ?? (await getPrisma())).integration.findMany({
    select: INTEGRATION_FIELDS,
    orderBy: [{ name: "asc" }, { vendor: "asc" }],
  });
  const now = new Date();
  return rows.map((row) => toIntegrationView(row, now));
}

/** Adds an integration with a new signing secret, which is in the result this once. */
export async function createIntegration(actor: Actor, input: CreateIntegrationInput, options: ManageOptions = {}) {
  authorize(actor, "integrations:manage");
  const prisma = options.db ?? (await getPrisma());
  const fields: Record<string, string> = {};
  if (await prisma.integration.findUnique({ where: { vendor: input.vendor }, select: { id: true } }))
    fields.vendor = DUPLICATE_VENDOR_MESSAGE;
  const problem = await endpointAddressProblem(input.endpoint_url, options);
  if (problem) fields.endpoint_url = problem;
  if (Object.keys(fields).length > 0) throw new IntegrationInputError(fields, fields.endpoint_url ? 422 : 409);

  const signingSecret = generateSigningSecret();
  try {
    const row = await prisma.$transaction(async (tx) => {
      const created = await tx.integration.create({
        data: {
          name: input.name,
          vendor: input.vendor,
          endpoint: input.endpoint_url,
          purposes: input.purposes,
          enabled: input.enabled,
          signingSecret,
        },
        select: INTEGRATION_FIELDS,
      });
      const summary = { endpoint: auditEndpoint(created.endpoint), purposes: created.purposes, enabled: created.enabled };
      await appendAudit(entry(actor, "integration.create", created, summary), tx);
      return created;
    });
    return { integration: toIntegrationView(row), signingSecret };
  } catch (error) {
    // Two admins adding the same vendor at once: the unique index decides.
    if (isDuplicateVendor(error)) throw new IntegrationInputError({ vendor: DUPLICATE_VENDOR_MESSAGE }, 409);
    throw error;
  }
}

export type IntegrationChange = { integration: IntegrationView; changed: boolean };

/**
 * Changes name, endpoint, purposes or enabled; the vendor never changes.
 * Resuming (enabled again) clears a 410's disabled reason and wakes the
 * delivery workers, so the integration's queued signals go out at once.
 */
export async function updateIntegration(
  actor: Actor,
  id: string,
  patch: UpdateIntegrationInput,
  options: ManageOptions = {},
): Promise<IntegrationChange> {
  authorize(actor, "integrations:manage");
  const prisma = options.db ?? (await getPrisma());
  const known = await prisma.integration.findUnique({ where: { id }, select: INTEGRATION_FIELDS });
  if (!known) throw new IntegrationNotFoundError();
  const fields: Record<string, string> = {};
  if (patch.vendor !== undefined && patch.vendor !== known.vendor) fields.vendor = VENDOR_CANNOT_CHANGE;
  // DNS before the transaction, which then holds a row lock only briefly.
  if (patch.endpoint_url !== undefined && patch.endpoint_url !== known.endpoint) {
    const problem = await endpointAddressProblem(patch.endpoint_url, options);
    if (problem) fields.endpoint_url = problem;
  }
  if (Object.keys(fields).length > 0) throw new IntegrationInputError(fields);

  return prisma.$transaction(async (tx) => {
    const current = await lockIntegration(tx, id);
    const next = {
      name: patch.name ?? current.name,
      endpoint: patch.endpoint_url ?? current.endpoint,
      purposes: patch.purposes ?? current.purposes,
      enabled: patch.enabled ?? current.enabled,
    };
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => JSON.stringify(next[k]) !== JSON.stringify(current[k]));
    if (changed.length === 0) return { integration: toIntegrationView(current), changed: false };

    const resuming = next.enabled && !current.enabled;
    const updated = await tx.integration.update({
      where: { id },
      data: {
        ...Object.fromEntries(changed.map((k) => [k, next[k]])),
        ...(resuming ? { disabledReason: null, disabledAt: null } : {}),
      },
      select: INTEGRATION_FIELDS,
    });
    if (resuming) await notifySignalsDue(tx);

    const shown = (row: typeof next, k: keyof typeof next): AuditJson => (k === "endpoint" ? auditEndpoint(row.endpoint) : row[k]);
    const before = Object.fromEntries(changed.map((k) => [k, shown(current, k)]));
    const after = Object.fromEntries(changed.map((k) => [k, shown(next, k)]));
    const action: AuditAction =
      changed.length === 1 && changed[0] === "enabled" ? (resuming ? "integration.resume" : "integration.pause") : "integration.update";
    const summary: AuditSummary = { before, after, ...(resuming && current.disabledReason ? { cleared: current.disabledReason } : {}) };
    await appendAudit(entry(actor, action, updated, summary), tx);
    return { integration: toIntegrationView(updated), changed: true };
  });
}

/**
 * A new signing secret, in the result this once. The old one becomes the
 * previous secret and keeps signing beside it (two signatures on every
 * request) for `overlap_hours`, so a receiver can switch without dropping a
 * signal; 0 stops it at once. Rotating again within the overlap drops the
 * oldest: only the secret just replaced keeps signing.
 */
export async function rotateSigningSecret(actor: Actor, id: string, input: RotateSecretInput, options: ManageOptions = {}) {
  authorize(actor, "integrations:manage");
  const prisma = options.db ?? (await getPrisma());
  const now = options.now ?? new Date();
  const until = input.overlap_hours > 0 ? new Date(now.getTime() + input.overlap_hours * 3_600_000) : null;
  const signingSecret = generateSigningSecret();
  const row = await prisma.$transaction(async (tx) => {
    await lockIntegration(tx, id);
    const { signingSecret: old } = await tx.integration.findUniqueOrThrow({ where: { id }, select: { signingSecret: true } });
    const updated = await tx.integration.update({
      where: { id },
      data: { signingSecret, previousSecret: until ? old : null, previousSecretExpiresAt: until },
      select: INTEGRATION_FIELDS,
    });
    const summary = { overlap_hours: input.overlap_hours, previous_valid_until: until?.toISOString() ?? null };
    await appendAudit(entry(actor, "integration.rotate_secret", updated, summary), tx);
    return updated;
  });
  return { integration: toIntegrationView(row, now), signingSecret, previousSecretValidUntil: until };
}
