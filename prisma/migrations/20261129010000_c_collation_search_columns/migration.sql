-- Search columns compare byte-wise ("C"), so one plain b-tree per column serves
-- both the prefix match (LIKE 'x%') and ORDER BY. Under a libc collation such as
-- C.UTF-8 or en_US, a text_pattern_ops index finds prefix matches but cannot
-- return them in order, and every search sorted all of its matches.
-- (Prisma's schema cannot express a column collation; this migration is its record.)

-- DropIndex
DROP INDEX "customers_email_idx";
DROP INDEX "customers_name_search_idx";
DROP INDEX "customers_phone_idx";
DROP INDEX "customers_external_id_prefix_idx";

-- AlterTable (rebuilds customers_external_id_key under the new collation)
ALTER TABLE "customers"
  ALTER COLUMN "external_id" TYPE TEXT COLLATE "C",
  ALTER COLUMN "name_search" TYPE TEXT COLLATE "C",
  ALTER COLUMN "email" TYPE TEXT COLLATE "C",
  ALTER COLUMN "phone" TYPE TEXT COLLATE "C";

-- CreateIndex
CREATE INDEX "customers_email_idx" ON "customers"("email", "id");
CREATE INDEX "customers_name_search_idx" ON "customers"("name_search", "id");
CREATE INDEX "customers_phone_idx" ON "customers"("phone", "id");
