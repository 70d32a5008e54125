-- Free text around a deletion keeps no identifier, and four eyes means two
-- people (lib/deletions/free-text.ts, lib/deletions/bulk-approval.ts).

-- The tombstone also keeps a keyed hash of each part of the erased person's
-- name, so their name typed later into an extension's reason is recognised
-- and taken out, as their external id is.
ALTER TABLE "customer_tombstones" ADD COLUMN "name_hashes" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- Who uploaded a bulk deletion: a person, or an API key (whose creator is the
-- person behind it; NULL for a key made from the command line). The approver
-- is never that person, and the rolling 24-hour count is theirs.
ALTER TABLE "deletion_batches"
  ADD COLUMN "created_by_type" TEXT NOT NULL DEFAULT 'user',
  ADD COLUMN "uploaded_by_person_id" TEXT,
  ADD COLUMN "recent_to_erase" INTEGER NOT NULL DEFAULT 0,
  ADD CONSTRAINT "deletion_batches_created_by_type_check" CHECK ("created_by_type" IN ('user', 'api_key'));
UPDATE "deletion_batches" b SET "created_by_type" = 'api_key', "uploaded_by_person_id" = k."created_by_id"
  FROM "api_keys" k WHERE k."id"::text = b."created_by_id";
UPDATE "deletion_batches" SET "uploaded_by_person_id" = "created_by_id" WHERE "created_by_type" = 'user';

-- The batches that list a customer's request, found at its erasure.
CREATE INDEX "deletion_batch_rows_request_id_idx" ON "deletion_batch_rows" ("request_id");

-- A bulk request's reason is its batch's, kept once on the batch rather than
-- copied into every request.
UPDATE "deletion_requests" r SET "reason" = NULL FROM "deletion_batches" b
  WHERE r."batch_id" = b."id" AND r."source" = 'bulk' AND r."reason" IS NOT DISTINCT FROM b."reason";
