-- Delivery of the queued integration signals (issue 10): signing secrets with
-- a rotation overlap, a lease per claimed signal, one row per attempt, and a
-- NOTIFY that wakes the delivery workers.

-- A test signal ("send a test signal") is delivered and recorded like any other.
ALTER TYPE "signal_kind" ADD VALUE 'test';

-- Secrets are `whsec_` + base64 of at least 24 random bytes. The app makes
-- them (32 bytes from node:crypto); the default, for existing rows and any
-- other insert, is 32 bytes from two random UUIDs' hex digits (244 random
-- bits). The previous secret signs too until previous_secret_expires_at (two
-- signatures per request).
ALTER TABLE "integrations"
  ADD COLUMN "signing_secret" TEXT NOT NULL DEFAULT ('whsec_' || encode(decode(replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', ''), 'hex'), 'base64')),
  ADD COLUMN "previous_secret" TEXT,
  ADD COLUMN "previous_secret_expires_at" TIMESTAMPTZ(3),
  ADD COLUMN "disabled_reason" TEXT,
  ADD COLUMN "disabled_at" TIMESTAMPTZ(3);

-- A claim holds a signal for one worker until lease_until; a crashed worker's
-- claims come back when it passes. attempts counts the claims, so a finish
-- applies only WHERE id, attempts and leased_by still match its claim.
-- attempt_base is attempts when a person last retried the signal by hand: the
-- retry schedule counts attempts - attempt_base, so a manual retry starts a
-- fresh schedule under the same id (webhook-id).
ALTER TABLE "integration_signals"
  ADD COLUMN "attempt_base" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "lease_until" TIMESTAMPTZ(3),
  ADD COLUMN "leased_by" TEXT,
  ADD COLUMN "last_attempt_at" TIMESTAMPTZ(3),
  ADD COLUMN "last_status_code" INTEGER,
  ADD COLUMN "last_error" TEXT,
  ADD COLUMN "receiver_ref" TEXT,
  ADD COLUMN "failed_at" TIMESTAMPTZ(3);

DROP INDEX "integration_signals_status_next_attempt_at_idx";
-- The workers' claim: due signals that are not finished, oldest first.
CREATE INDEX "integration_signals_due_idx" ON "integration_signals" ("next_attempt_at", "id") WHERE "status" IN ('pending', 'retrying');
-- The integrations pages: counts and the delivery log by integration and status.
CREATE INDEX "integration_signals_integration_id_status_idx" ON "integration_signals" ("integration_id", "status");
CREATE INDEX "integration_signals_consent_change_id_idx" ON "integration_signals" ("consent_change_id");

-- One row per delivery attempt: when, the answer, how long it took, and what went wrong.
CREATE TABLE "delivery_attempts" (
    "id" BIGSERIAL NOT NULL,
    "signal_id" UUID NOT NULL,
    "integration_id" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "status_code" INTEGER,
    "latency_ms" INTEGER NOT NULL,
    "error" TEXT,
    "receiver_ref" TEXT,
    "outcome" TEXT NOT NULL,
    "worker" TEXT NOT NULL,

    CONSTRAINT "delivery_attempts_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "delivery_attempts_signal_id_fkey" FOREIGN KEY ("signal_id") REFERENCES "integration_signals"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "delivery_attempts_integration_id_fkey" FOREIGN KEY ("integration_id") REFERENCES "integrations"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "delivery_attempts_signal_id_attempt_idx" ON "delivery_attempts" ("signal_id", "attempt");
CREATE INDEX "delivery_attempts_integration_id_started_at_idx" ON "delivery_attempts" ("integration_id", "started_at" DESC);

-- Wakes the workers (LISTEN integration_signals) once per statement that queues signals.
CREATE FUNCTION "integration_signals_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('integration_signals', '');
  RETURN NULL;
END $$;
CREATE TRIGGER "integration_signals_notify" AFTER INSERT ON "integration_signals"
  FOR EACH STATEMENT EXECUTE FUNCTION "integration_signals_notify"();
