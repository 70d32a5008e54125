import "server-only";
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { appendAudit } from "../audit/append.ts";
import { authorize, type Actor } from "../auth/actor.ts";
import { getPrisma } from "../db/index.ts";
import { endpointPolicyFromEnv, type EndpointPolicy } from "../delivery/endpoint-policy.ts";
import { webhookBody } from "../delivery/envelope.ts";
import { sendSigned } from "../delivery/send.ts";
import { secretsInEffect, signatureHeaders } from "../delivery/signing.ts";
import { IntegrationNotFoundError } from "./errors.ts";

// "Send a test signal" (Settings → Integrations, POST /api/integrations/{id}/test):
// one `integration.test` request, signed and sent as the worker sends any
// signal, while the admin waits. Its signal is recorded already finished
// (delivered or failed) with its one attempt, so the worker never picks it up
// and the delivery log shows it like any other.

export const TEST_SIGNAL_MESSAGE = "A test signal from Consent Desk. Nothing about any customer changed.";
/** The worker name on a test signal's attempt (the delivery log shows who sent each attempt). */
export const TEST_SIGNAL_WORKER = "test-signal";

export type TestSignalResult = {
  signalId: string;
  delivered: boolean;
  /** The endpoint's HTTP status; null when it never answered (refused, timed out, a forbidden address). */
  statusCode: number | null;
  latencyMs: number;
  /** What went wrong, in words; null when delivered. */
  error: string | null;
  /** The receiver's reference from its 2xx body, when it named one. */
  receiverRef: string | null;
};

export type TestSignalOptions = { db?: PrismaClient; policy?: EndpointPolicy; timeoutMs?: number };

/** Sends one signed test request now and answers what the endpoint said. Paused and disabled integrations can be tested too. */
export async function sendTestSignal(actor: Actor, id: string, options: TestSignalOptions = {}): Promise<TestSignalResult> {
  authorize(actor, "integrations:manage");
  const prisma = options.db ?? (await getPrisma());
  const integration = await prisma.integration.findUnique({
    where: { id },
    select: {
      id: true,
      name: true,
      vendor: true,
      endpoint: true,
      signingSecret: true,
      previousSecret: true,
      previousSecretExpiresAt: true,
    },
  });
  if (!integration) throw new IntegrationNotFoundError();

  const signalId = randomUUID();
  const startedAt = new Date();
  const payload = { integration_id: integration.id, message: TEST_SIGNAL_MESSAGE };
  const body = webhookBody({ kind: "test", createdAt: startedAt, payload });
  const headers = signatureHeaders({
    id: signalId,
    timestamp: Math.floor(startedAt.getTime() / 1000),
    body,
    secrets: secretsInEffect(integration, startedAt),
  });
  const sent = await sendSigned(integration.endpoint, { ...headers }, body, options.policy ?? endpointPolicyFromEnv(), options.timeoutMs);

  const statusCode = sent.result.status;
  const delivered = statusCode !== null && statusCode >= 200 && statusCode < 300;
  const error = delivered ? null : statusCode === null ? sent.result.error : `The endpoint answered ${statusCode}.`;
  const finishedAt = new Date();
  const result: TestSignalResult = { signalId, delivered, statusCode, latencyMs: sent.latencyMs, error, receiverRef: sent.receiverRef };

  await prisma.$transaction(async (tx) => {
    await tx.integrationSignal.create({
      data: {
        id: signalId,
        integrationId: integration.id,
        kind: "test",
        payload,
        status: delivered ? "delivered" : "failed",
        attempts: 1,
        nextAttemptAt: startedAt,
        createdAt: startedAt,
        deliveredAt: delivered ? finishedAt : null,
        failedAt: delivered ? null : finishedAt,
        lastAttemptAt: startedAt,
        lastStatusCode: statusCode,
        lastError: error,
        receiverRef: sent.receiverRef,
      },
    });
    await tx.deliveryAttempt.create({
      data: {
        signalId,
        integrationId: integration.id,
        attempt: 1,
        startedAt,
        statusCode,
        latencyMs: sent.latencyMs,
        error,
        receiverRef: sent.receiverRef,
        outcome: delivered ? "delivered" : "failed",
        worker: TEST_SIGNAL_WORKER,
      },
    });
    await appendAudit(
      {
        actor,
        action: "integration.test",
        target: { type: "integration", id: integration.id },
        summary: {
          name: integration.name,
          vendor: integration.vendor,
          signal_id: signalId,
          delivered,
          status_code: statusCode,
          latency_ms: sent.latencyMs,
          error,
        },
      },
      tx,
    );
  });
  return result;
}
