-- H2 2.4.240 evaluates `CHECK (col IN (…))` (and `col = a OR col = b`, which it rewrites to IN) against the
-- session that created the constraint: once the pool retires the connection that ran the migrations,
-- every insert fails with "Check constraint invalid … The database has been closed [90098]". The same
-- rules as a CASE are evaluated in the inserting session, on H2 and PostgreSQL alike (`= ANY (ARRAY[…])`
-- would too, but jOOQ's DDL parser, which generates the read model from these files, misreads it).
ALTER TABLE run DROP CONSTRAINT run_state_ck;
ALTER TABLE run ADD CONSTRAINT run_state_ck CHECK (CASE state
    WHEN 'QUEUED' THEN TRUE WHEN 'RUNNING' THEN TRUE WHEN 'SUCCEEDED' THEN TRUE
    WHEN 'FAILED' THEN TRUE WHEN 'CANCELLED' THEN TRUE WHEN 'INTERRUPTED' THEN TRUE ELSE FALSE END);
ALTER TABLE run_param DROP CONSTRAINT run_param_type_ck;
ALTER TABLE run_param ADD CONSTRAINT run_param_type_ck CHECK (CASE value_type
    WHEN 'INT' THEN TRUE WHEN 'FLOAT' THEN TRUE WHEN 'STRING' THEN TRUE WHEN 'BOOL' THEN TRUE ELSE FALSE END);
ALTER TABLE api_token DROP CONSTRAINT api_token_scope_ck;
ALTER TABLE api_token ADD CONSTRAINT api_token_scope_ck CHECK (CASE scope
    WHEN 'READ' THEN TRUE WHEN 'WRITE' THEN TRUE ELSE FALSE END);
