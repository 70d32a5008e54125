-- Test signals ("send a test signal" in Settings) are left out of an
-- integration's counts on the integrations pages, so pings neither inflate
-- "delivered" nor count as failures to retry. With the kind in the index the
-- counts by status still come from the index alone. (A partial index on
-- kind = 'test' cannot be made here: the enum value is new in a migration
-- that may apply in the same transaction, where PostgreSQL refuses to use it.)
DROP INDEX "integration_signals_integration_id_status_idx";
CREATE INDEX "integration_signals_integration_id_status_kind_idx" ON "integration_signals" ("integration_id", "status", "kind");
