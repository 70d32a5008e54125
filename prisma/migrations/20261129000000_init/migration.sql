-- CreateEnum
CREATE TYPE "journey_status" AS ENUM ('draft', 'active', 'paused', 'archived');

-- CreateEnum
CREATE TYPE "enrolment_status" AS ENUM ('active', 'completed', 'exited');

-- CreateEnum
CREATE TYPE "event_outcome" AS ENUM ('processed', 'partially_withheld', 'withheld');

-- CreateTable
CREATE TABLE "customers" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "external_id" TEXT,
    "name" TEXT,
    "name_search" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "push_token" TEXT,
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customer_consents" (
    "customer_id" UUID NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "behavioral_campaigns" BOOLEAN,
    "email_marketing" BOOLEAN,
    "push_notifications" BOOLEAN,
    "coupon_campaigns" BOOLEAN,
    "punchcard_campaigns" BOOLEAN,
    "link_tracking" BOOLEAN,
    "vendors" JSONB NOT NULL DEFAULT '{}',
    "consent_timestamp" TIMESTAMPTZ(3),
    "consent_string" TEXT,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customer_consents_pkey" PRIMARY KEY ("customer_id")
);

-- CreateTable
CREATE TABLE "audiences" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "description" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audiences_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audience_memberships" (
    "audience_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "email" TEXT,
    "push_token" TEXT,
    "joined_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audience_memberships_pkey" PRIMARY KEY ("audience_id","customer_id")
);

-- CreateTable
CREATE TABLE "journeys" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "status" "journey_status" NOT NULL DEFAULT 'active',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "journeys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "journey_enrolments" (
    "journey_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "status" "enrolment_status" NOT NULL DEFAULT 'active',
    "step" TEXT,
    "enrolled_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "journey_enrolments_pkey" PRIMARY KEY ("journey_id","customer_id")
);

-- CreateTable
CREATE TABLE "loyalty_events" (
    "id" BIGSERIAL NOT NULL,
    "customer_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "amount" DECIMAL(12,2),
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "outcome" "event_outcome" NOT NULL,
    "withheld_reason" TEXT,
    "points_awarded" INTEGER NOT NULL DEFAULT 0,
    "attributes" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "loyalty_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "integrations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "vendor" TEXT NOT NULL,
    "endpoint" TEXT NOT NULL,
    "purposes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "integrations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "customers_external_id_key" ON "customers"("external_id");

-- CreateIndex
CREATE INDEX "customers_created_at_id_idx" ON "customers"("created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "customers_email_idx" ON "customers"("email" text_pattern_ops, "id");

-- CreateIndex
CREATE INDEX "customers_name_search_idx" ON "customers"("name_search" text_pattern_ops, "id");

-- CreateIndex
CREATE INDEX "customers_phone_idx" ON "customers"("phone" text_pattern_ops, "id");

-- CreateIndex
CREATE INDEX "customers_external_id_prefix_idx" ON "customers"("external_id" text_pattern_ops);

-- CreateIndex
CREATE INDEX "customer_consents_vendors_idx" ON "customer_consents" USING GIN ("vendors" jsonb_path_ops);

-- CreateIndex
CREATE UNIQUE INDEX "audiences_name_key" ON "audiences"("name");

-- CreateIndex
CREATE INDEX "audience_memberships_customer_id_idx" ON "audience_memberships"("customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "journeys_name_key" ON "journeys"("name");

-- CreateIndex
CREATE INDEX "journey_enrolments_customer_id_idx" ON "journey_enrolments"("customer_id");

-- CreateIndex
CREATE INDEX "loyalty_events_customer_id_occurred_at_idx" ON "loyalty_events"("customer_id", "occurred_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "integrations_vendor_key" ON "integrations"("vendor");

-- AddForeignKey
ALTER TABLE "customer_consents" ADD CONSTRAINT "customer_consents_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audience_memberships" ADD CONSTRAINT "audience_memberships_audience_id_fkey" FOREIGN KEY ("audience_id") REFERENCES "audiences"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audience_memberships" ADD CONSTRAINT "audience_memberships_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "journey_enrolments" ADD CONSTRAINT "journey_enrolments_journey_id_fkey" FOREIGN KEY ("journey_id") REFERENCES "journeys"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "journey_enrolments" ADD CONSTRAINT "journey_enrolments_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "loyalty_events" ADD CONSTRAINT "loyalty_events_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
