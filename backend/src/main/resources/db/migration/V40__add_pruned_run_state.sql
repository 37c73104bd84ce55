-- PRUNED: a terminal state for runs that early stopping (ASHA, Hyperband) stopped at a rung, distinct from
-- CANCELLED (a person asked) and FAILED (the run is at fault). The rung's resource (e.g. the step) is kept beside
-- the reason in message. The CHECK stays a CASE, for the reason V20 gives.
ALTER TABLE run DROP CONSTRAINT run_state_ck;
ALTER TABLE run ADD CONSTRAINT run_state_ck CHECK (CASE state
    WHEN 'QUEUED' THEN TRUE WHEN 'RUNNING' THEN TRUE WHEN 'SUCCEEDED' THEN TRUE
    WHEN 'FAILED' THEN TRUE WHEN 'CANCELLED' THEN TRUE WHEN 'INTERRUPTED' THEN TRUE
    WHEN 'PRUNED' THEN TRUE ELSE FALSE END);
ALTER TABLE run ADD COLUMN pruned_at_resource BIGINT;
