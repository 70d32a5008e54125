-- A recorded consent always has a consent timestamp (PRODUCT.md, "The consent API"):
-- the client's when it sent one, else the time it was recorded. Fill the ones
-- recorded without, then keep it so; history rows stay as they were written.
UPDATE "customer_consents" SET "consent_timestamp" = "recorded_at" WHERE "consent_timestamp" IS NULL;

ALTER TABLE "customer_consents"
    ALTER COLUMN "consent_timestamp" SET DEFAULT CURRENT_TIMESTAMP,
    ALTER COLUMN "consent_timestamp" SET NOT NULL;
