-- A receiver's reference (integration_signals.receiver_ref and
-- delivery_attempts.receiver_ref, taken from its answer) may echo the external
-- id it was sent, e.g. {"reference": "<customer_id>"}; it is kept as proof of
-- receipt, so an erasure must scrub the person from it like from the payload.
-- One rule for the erasure (lib/deletions/erase.ts, the consent changes'
-- references) and the trigger below (the delete signals' once all acknowledged):
-- the identifier becomes the tombstone's hash; matched case-insensitively, the
-- whole reference does.
CREATE FUNCTION "deletion_scrub_reference"(ref TEXT, sent TEXT, hash TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN ref IS NULL OR sent IS NULL OR sent = '' OR sent = hash THEN ref
    WHEN strpos(ref, sent) > 0 THEN replace(ref, sent, coalesce(hash, ''))
    WHEN strpos(lower(ref), lower(sent)) > 0 THEN hash
    ELSE ref END
$$;

-- As in 20261204000000, and on completion the references too, read against the
-- external id each signal was sent (its payload's customer_id, before that
-- becomes the hash in the same statement).
CREATE OR REPLACE FUNCTION "deletion_request_progress"() RETURNS trigger LANGUAGE plpgsql AS $$
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
    UPDATE delivery_attempts a SET receiver_ref = deletion_scrub_reference(a.receiver_ref, s.payload ->> 'customer_id', req.identifier_hash)
      FROM integration_signals s
      WHERE s.deletion_request_id = req.id AND a.signal_id = s.id AND a.receiver_ref IS NOT NULL
        AND s.payload ->> 'customer_id' IS DISTINCT FROM req.identifier_hash
        AND a.receiver_ref IS DISTINCT FROM deletion_scrub_reference(a.receiver_ref, s.payload ->> 'customer_id', req.identifier_hash);
    UPDATE integration_signals SET payload = payload || jsonb_build_object('customer_id', req.identifier_hash),
        receiver_ref = deletion_scrub_reference(receiver_ref, payload ->> 'customer_id', req.identifier_hash)
      WHERE deletion_request_id = req.id AND payload ->> 'customer_id' IS DISTINCT FROM req.identifier_hash;
  END IF;
  IF next_status IS DISTINCT FROM req.status THEN
    UPDATE deletion_requests SET status = next_status,
      completed_at = CASE WHEN next_status = 'completed' THEN coalesce(completed_at, now()) ELSE NULL END
      WHERE id = req.id;
  END IF;
  RETURN NULL;
END $$;
