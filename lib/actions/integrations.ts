"use server";

import { IntegrationInputError, IntegrationNotFoundError } from "../integrations/errors.ts";
import {
  createIntegration,
  rotateSigningSecret,
  sendTestSignal,
  updateIntegration,
  type IntegrationChange,
  type IntegrationView,
  type TestSignalResult,
} from "../integrations/manage.ts";
import {
  CreateIntegrationSchema,
  IntegrationRefSchema,
  RotateSecretActionSchema,
  UpdateIntegrationActionSchema,
} from "../validations/integrations.ts";
import { defineAction } from "./define.ts";
import { fieldsFailure, type ActionFailure } from "./result.ts";

// Thin on purpose (see define.ts): the rules live in lib/integrations. The
// dialogs call these with objects built from their forms (purposes are
// several checkboxes of one name, which a form's entries would flatten).

/** `signingSecret` is the only time the secret leaves the server; the dialog shows it once. */
export type CreatedIntegration = { integration: IntegrationView; signingSecret: string };
export type RotatedSecret = { integration: IntegrationView; signingSecret: string; previousSecretValidUntil: Date | null };

function integrationFailure(error: unknown): ActionFailure | null {
  if (error instanceof IntegrationInputError) return fieldsFailure(error.fields, error.message);
  if (error instanceof IntegrationNotFoundError) return { ok: false, error: "This integration no longer exists." };
  return null;
}

const options = { revalidate: "/settings", failure: integrationFailure };

export const createIntegrationAction = defineAction(
  "integrations:manage",
  CreateIntegrationSchema,
  async (input, actor): Promise<CreatedIntegration> => createIntegration(actor, input),
  options,
);

export const updateIntegrationAction = defineAction(
  "integrations:manage",
  UpdateIntegrationActionSchema,
  async ({ id, ...patch }, actor): Promise<IntegrationChange> => updateIntegration(actor, id, patch),
  options,
);

export const pauseIntegrationAction = defineAction(
  "integrations:manage",
  IntegrationRefSchema,
  async ({ id }, actor): Promise<IntegrationChange> => updateIntegration(actor, id, { enabled: false }),
  options,
);

export const resumeIntegrationAction = defineAction(
  "integrations:manage",
  IntegrationRefSchema,
  async ({ id }, actor): Promise<IntegrationChange> => updateIntegration(actor, id, { enabled: true }),
  options,
);

export const rotateSigningSecretAction = defineAction(
  "integrations:manage",
  RotateSecretActionSchema,
  async ({ id, ...input }, actor): Promise<RotatedSecret> => rotateSigningSecret(actor, id, input),
  options,
);

export const sendTestSignalAction = defineAction(
  "integrations:manage",
  IntegrationRefSchema,
  async ({ id }, actor): Promise<TestSignalResult> => sendTestSignal(actor, id),
  options,
);
