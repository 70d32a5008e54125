-- The integrations pages' figures (lib/integrations/status.ts), kept off the
-- big scans. Measured on 1,000,000 signals and attempts of one integration
-- (2-core machine): without these, the propagation lag read every signal of
-- the integration through its (integration_id, status) index and filtered the
-- heap (560 ms), and the last error walked the attempts newest first until
-- one had failed (unbounded for an integration that has long been healthy).

-- Propagation lag: consent-change signals by delivery time, created_at
-- included so the window is read from the index alone.
CREATE INDEX "integration_signals_delivered_consent_idx" ON "integration_signals" ("integration_id", "delivered_at")
  INCLUDE ("created_at") WHERE "kind" = 'consent_change' AND "delivered_at" IS NOT NULL;

-- The last error: only attempts that did not deliver, newest first.
CREATE INDEX "delivery_attempts_failures_idx" ON "delivery_attempts" ("integration_id", "started_at" DESC)
  WHERE "outcome" <> 'delivered';
