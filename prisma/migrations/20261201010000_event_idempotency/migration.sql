-- The client's own id for a loyalty event, so a batch resent after a timeout
-- stores nothing twice. Unique per customer; events without one never collide
-- (NULLs are distinct).

-- AlterTable
ALTER TABLE "loyalty_events" ADD COLUMN "event_id" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "loyalty_events_customer_id_event_id_key" ON "loyalty_events"("customer_id", "event_id");
