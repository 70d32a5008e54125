-- A delete signal's receiver reference (which may echo the external id it was
-- sent) is scrubbed as soon as that signal is acknowledged, rather than when
-- the last integration acknowledges: the request page and the receipt show
-- each acknowledgement while the others are still being notified. Otherwise
-- as in 20261204500000.
CREATE OR REPLACE FUNCTION "deletion_request_progress"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  req deletion_requests%ROWTYPE;
  total int; delivered int; failed int; attempted int;
  next_status deletion_status;
BEGIN
  SELECT * INTO req FROM deletion_requests WHERE id = NEW.deletion_request_id FOR UPDATE;
  IF NOT FOUND OR req.erased_at IS NULL THEN RETURN NULL; END IF;
  -- Acknowledged: its receiver's reference loses the person now, not at completion (the receipt shows it meanwhile).
  IF NEW.status = 'delivered' AND OLD.status IS DISTINCT FROM 'delivered' THEN
    UPDATE delivery_attempts SET receiver_ref = deletion_scrub_reference(receiver_ref, NEW.payload ->> 'customer_id', req.identifier_hash)
      WHERE signal_id = NEW.id AND receiver_ref IS NOT NULL
        AND receiver_ref IS DISTINCT FROM deletion_scrub_reference(receiver_ref, NEW.payload ->> 'customer_id', req.identifier_hash);
    UPDATE integration_signals SET receiver_ref = deletion_scrub_reference(receiver_ref, payload ->> 'customer_id', req.identifier_hash)
      WHERE id = NEW.id AND receiver_ref IS NOT NULL
        AND receiver_ref IS DISTINCT FROM deletion_scrub_reference(receiver_ref, payload ->> 'customer_id', req.identifier_hash);
  END IF;
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
