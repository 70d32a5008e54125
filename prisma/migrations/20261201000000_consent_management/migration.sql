-- Consent management (issue 4): the consent history, the integration signal
-- outbox, the loyalty campaign table and what an ingested event earned.

-- CreateEnum
CREATE TYPE "consent_source" AS ENUM ('dashboard', 'api', 'import');

-- CreateEnum
CREATE TYPE "signal_kind" AS ENUM ('consent_change', 'delete');

-- CreateEnum
CREATE TYPE "signal_status" AS ENUM ('pending', 'delivered', 'retrying', 'failed');

-- CreateEnum
CREATE TYPE "campaign_kind" AS ENUM ('points', 'tier', 'coupon', 'punchcard');

-- AlterTable: the decoded TC string kept beside it.
ALTER TABLE "customer_consents" ADD COLUMN "tcf" JSONB;

-- AlterTable: what an event earned beyond points, and what was withheld.
ALTER TABLE "loyalty_events"
    ADD COLUMN "tier_progress" INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN "rewards" JSONB NOT NULL DEFAULT '[]',
    ADD COLUMN "withheld" JSONB NOT NULL DEFAULT '[]';

-- CreateTable
CREATE TABLE "consent_changes" (
    "id" BIGSERIAL NOT NULL,
    "customer_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "source" "consent_source" NOT NULL,
    "actor_type" TEXT NOT NULL,
    "actor_id" TEXT,
    "actor_label" TEXT NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "before" JSONB,
    "after" JSONB NOT NULL,
    "changed" TEXT[],
    "reason" TEXT,
    "consent_timestamp" TIMESTAMPTZ(3),
    "consent_string" TEXT,

    CONSTRAINT "consent_changes_pkey" PRIMARY KEY ("id")
);

-- One entry per version: a lost update would collide here.
CREATE UNIQUE INDEX "consent_changes_customer_id_version_key" ON "consent_changes"("customer_id", "version");

ALTER TABLE "consent_changes" ADD CONSTRAINT "consent_changes_customer_id_fkey"
    FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- History is never edited. Erasure (the deletion issue) opts in per transaction
-- with SET LOCAL consent_desk.erasure = 'on'; TRUNCATE stays possible for the
-- seed's --reset.
CREATE FUNCTION "consent_changes_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('consent_desk.erasure', true), '') = 'on' THEN
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  RAISE EXCEPTION 'consent history is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER "consent_changes_append_only" BEFORE UPDATE OR DELETE ON "consent_changes"
FOR EACH ROW EXECUTE FUNCTION "consent_changes_append_only"();

-- CreateTable: the outbox the notifications worker delivers from.
CREATE TABLE "integration_signals" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "integration_id" UUID NOT NULL,
    "customer_id" UUID,
    "kind" "signal_kind" NOT NULL,
    "consent_change_id" BIGINT,
    "payload" JSONB NOT NULL,
    "status" "signal_status" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),

    CONSTRAINT "integration_signals_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "integration_signals_status_next_attempt_at_idx" ON "integration_signals"("status", "next_attempt_at");
CREATE INDEX "integration_signals_customer_id_created_at_idx" ON "integration_signals"("customer_id", "created_at" DESC);
CREATE INDEX "integration_signals_integration_id_created_at_idx" ON "integration_signals"("integration_id", "created_at" DESC);

ALTER TABLE "integration_signals" ADD CONSTRAINT "integration_signals_integration_id_fkey"
    FOREIGN KEY ("integration_id") REFERENCES "integrations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "integration_signals" ADD CONSTRAINT "integration_signals_customer_id_fkey"
    FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "integration_signals" ADD CONSTRAINT "integration_signals_consent_change_id_fkey"
    FOREIGN KEY ("consent_change_id") REFERENCES "consent_changes"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- CreateTable
CREATE TABLE "loyalty_campaigns" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "kind" "campaign_kind" NOT NULL,
    "event_type" TEXT NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "points_per_amount" DECIMAL(8,2) NOT NULL DEFAULT 0,
    "min_amount" DECIMAL(12,2),
    "reward" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "loyalty_campaigns_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "loyalty_campaigns_name_key" ON "loyalty_campaigns"("name");
CREATE INDEX "loyalty_campaigns_event_type_idx" ON "loyalty_campaigns"("event_type");
