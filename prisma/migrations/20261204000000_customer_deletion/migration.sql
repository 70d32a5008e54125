-- Customer deletion (issue 11): deletion requests with their deadlines, the
-- tombstone left by an erasure, anonymous audience-membership spans that keep
-- audience sizes over time, bulk intake, and the delete signals' progress.
-- What each table and column keeps after an erasure is declared in
-- lib/deletions/retention.ts (a test fails on a column it does not cover).

CREATE TYPE "deletion_regime" AS ENUM ('gdpr', 'ccpa');
CREATE TYPE "deletion_source" AS ENUM ('dashboard', 'api', 'bulk');
CREATE TYPE "deletion_status" AS ENUM ('received', 'erased', 'notifying', 'completed', 'failed');
CREATE TYPE "deletion_batch_status" AS ENUM ('awaiting_approval', 'queued', 'processing', 'done', 'rejected');
CREATE TYPE "deletion_row_outcome" AS ENUM ('erased', 'already_erased', 'not_found', 'invalid');

-- An erased customer stays as a row without anything identifying (its events
-- and consent history hang on it, without the person).
ALTER TABLE "customers" ADD COLUMN "erased_at" TIMESTAMPTZ(3);

CREATE TABLE "deletion_batches" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "status" "deletion_batch_status" NOT NULL,
    "regime" "deletion_regime" NOT NULL,
    "reason" TEXT,
    "file_name" TEXT NOT NULL,
    "total_rows" INTEGER NOT NULL,
    "processed_rows" INTEGER NOT NULL DEFAULT 0,
    "created_by_id" TEXT,
    "created_by_label" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "approved_by_id" TEXT,
    "approved_by_label" TEXT,
    "approved_at" TIMESTAMPTZ(3),
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "lease_until" TIMESTAMPTZ(3),
    "leased_by" TEXT,

    CONSTRAINT "deletion_batches_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "deletion_batches_created_at_id_idx" ON "deletion_batches" ("created_at" DESC, "id" DESC);
CREATE INDEX "deletion_batches_status_idx" ON "deletion_batches" ("status");

-- One row per CSV line: never its value, only the value's keyed hash (the
-- upload resolves each line to a customer and a request at once).
CREATE TABLE "deletion_batch_rows" (
    "batch_id" UUID NOT NULL,
    "row_no" INTEGER NOT NULL,
    "identifier_kind" TEXT,
    "identifier_hash" TEXT,
    "outcome" "deletion_row_outcome",
    "message" TEXT,
    "request_id" UUID,

    CONSTRAINT "deletion_batch_rows_pkey" PRIMARY KEY ("batch_id", "row_no"),
    CONSTRAINT "deletion_batch_rows_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "deletion_batches"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "deletion_requests" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "customer_id" UUID,
    "source" "deletion_source" NOT NULL,
    "regime" "deletion_regime" NOT NULL,
    "reason" TEXT,
    "status" "deletion_status" NOT NULL DEFAULT 'received',
    "requested_by_type" TEXT NOT NULL,
    "requested_by_id" TEXT,
    "requested_by_label" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "extension" INTEGER NOT NULL DEFAULT 0,
    "extension_reason" TEXT,
    "extended_at" TIMESTAMPTZ(3),
    "erased_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),
    "identifier_hash" TEXT,
    "summary" JSONB NOT NULL DEFAULT '{}',
    "batch_id" UUID,

    CONSTRAINT "deletion_requests_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "deletion_requests_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "deletion_requests_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "deletion_batches"("id") ON DELETE SET NULL ON UPDATE CASCADE
);
-- One request per customer: asking again answers the same request.
CREATE UNIQUE INDEX "deletion_requests_customer_id_key" ON "deletion_requests" ("customer_id");
CREATE INDEX "deletion_requests_received_at_id_idx" ON "deletion_requests" ("received_at" DESC, "id" DESC);
CREATE INDEX "deletion_requests_status_due_at_idx" ON "deletion_requests" ("status", "due_at");
CREATE INDEX "deletion_requests_batch_id_idx" ON "deletion_requests" ("batch_id");

-- What an erasure leaves: keyed hashes (HMAC-SHA256, lib/deletions/tombstone.ts)
-- of the identifiers, so a repeated request is recognised and an erased external
-- id or email arriving again is refused.
CREATE TABLE "customer_tombstones" (
    "customer_id" UUID NOT NULL,
    "request_id" UUID NOT NULL,
    "external_id_hash" TEXT,
    "email_hash" TEXT,
    "phone_hash" TEXT,
    "erased_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customer_tombstones_pkey" PRIMARY KEY ("customer_id"),
    CONSTRAINT "customer_tombstones_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "customer_tombstones_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "deletion_requests"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "customer_tombstones_request_id_key" ON "customer_tombstones" ("request_id");
CREATE INDEX "customer_tombstones_external_id_hash_idx" ON "customer_tombstones" ("external_id_hash");
CREATE INDEX "customer_tombstones_email_hash_idx" ON "customer_tombstones" ("email_hash");

-- An erased customer's audience memberships, without the customer: audience
-- sizes over time keep their totals.
CREATE TABLE "audience_past_memberships" (
    "id" BIGSERIAL NOT NULL,
    "audience_id" UUID NOT NULL,
    "joined_at" TIMESTAMPTZ(3) NOT NULL,
    "left_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "audience_past_memberships_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "audience_past_memberships_audience_id_fkey" FOREIGN KEY ("audience_id") REFERENCES "audiences"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "audience_past_memberships_audience_id_idx" ON "audience_past_memberships" ("audience_id", "joined_at");

-- A delete signal belongs to its request.
ALTER TABLE "integration_signals" ADD COLUMN "deletion_request_id" UUID,
  ADD CONSTRAINT "integration_signals_deletion_request_id_fkey" FOREIGN KEY ("deletion_request_id") REFERENCES "deletion_requests"("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "integration_signals_deletion_request_id_idx" ON "integration_signals" ("deletion_request_id");

-- A request's status follows its delete signals (the rule: lib/deletions/status.ts,
-- whose test checks this function against it). The request row is locked first,
-- so of two workers finishing its last two signals at once the second sees the
-- first's commit. When every integration has acknowledged, the identifier left in
-- the signals (the external id they were sent) becomes the tombstone's hash.
CREATE FUNCTION "deletion_request_progress"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  req deletion_requests%ROWTYPE;
  total int; delivered int; failed int; attempted int;
  next_status deletion_status;
BEGIN
  SELECT * INTO req FROM deletion_requests WHERE id = NEW.deletion_request_id FOR UPDATE;
  IF NOT FOUND OR req.erased_at IS NULL THEN RETURN NULL; END IF;
  SELECT count(*), count(*) FILTER (WHERE status = 'delivered'), count(*) FILTER (WHERE status = 'failed'),
         count(*) FILTER (WHERE attempts > 0 OR status <> 'pending')
    INTO total, delivered, failed, attempted
    FROM integration_signals WHERE deletion_request_id = req.id;
  next_status := CASE
    WHEN delivered = total THEN 'completed'
    WHEN failed > 0 THEN 'failed'
    WHEN attempted > 0 THEN 'notifying'
    ELSE 'erased' END;
  IF next_status = 'completed' THEN
    UPDATE integration_signals SET payload = payload || jsonb_build_object('customer_id', req.identifier_hash)
      WHERE deletion_request_id = req.id AND payload ->> 'customer_id' IS DISTINCT FROM req.identifier_hash;
  END IF;
  IF next_status IS DISTINCT FROM req.status THEN
    UPDATE deletion_requests SET status = next_status,
      completed_at = CASE WHEN next_status = 'completed' THEN coalesce(completed_at, now()) ELSE NULL END
      WHERE id = req.id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "deletion_request_progress" AFTER UPDATE OF "status", "attempts" ON "integration_signals"
  FOR EACH ROW WHEN (NEW."deletion_request_id" IS NOT NULL AND (OLD."status" IS DISTINCT FROM NEW."status" OR OLD."attempts" IS DISTINCT FROM NEW."attempts"))
  EXECUTE FUNCTION "deletion_request_progress"();
