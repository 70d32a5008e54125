-- audit_entry_hash calls to_char, which PostgreSQL rates STABLE; declared
-- IMMUTABLE the function could not be inlined, and verifying a large log spent
-- most of its time in function calls. Same body, so every stored hash still
-- verifies; only the volatility label changes.
CREATE OR REPLACE FUNCTION "audit_entry_hash"(e "audit_entries") RETURNS TEXT LANGUAGE sql STABLE AS $$
  SELECT encode(sha256(convert_to(e.prev_hash || jsonb_build_array(
    e.chain, e.chain_seq, to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    e.actor_type, e.actor_id, e.actor_label, e.action, e.target_type, e.target_id, e.summary, e.ip, e.user_agent
  )::text, 'UTF8')), 'hex')
$$;
