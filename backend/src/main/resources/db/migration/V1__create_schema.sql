-- Replica schema, version 1. Flyway owns it; Hibernate validates against it; jOOQ's read model is
-- generated from it. Portable SQL: it runs unchanged on H2 (embedded default) and PostgreSQL.

CREATE SEQUENCE experiment_seq START WITH 1 INCREMENT BY 50;
CREATE SEQUENCE run_seq START WITH 1 INCREMENT BY 50;
CREATE SEQUENCE run_event_seq START WITH 1 INCREMENT BY 50;
CREATE SEQUENCE artifact_seq START WITH 1 INCREMENT BY 50;
CREATE SEQUENCE api_token_seq START WITH 1 INCREMENT BY 50;

CREATE TABLE experiment (
    id            BIGINT        NOT NULL PRIMARY KEY,
    name          VARCHAR(100)  NOT NULL,
    description   VARCHAR(4000) NOT NULL,
    kind          VARCHAR(64)   NOT NULL,
    spec_file     VARCHAR(1024) NOT NULL,
    spec_text     VARCHAR(1048576) NOT NULL,
    -- the parsed spec as canonical JSON: what the planner saw
    spec_json     VARCHAR(1048576) NOT NULL,
    primary_metric VARCHAR(200),
    metric_goal   VARCHAR(8),
    run_count     INTEGER       NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX experiment_name_idx ON experiment (name);

CREATE TABLE run (
    id            BIGINT        NOT NULL PRIMARY KEY,
    experiment_id BIGINT        NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    run_index     INTEGER       NOT NULL,
    seed          BIGINT        NOT NULL,
    config_key    VARCHAR(4000) NOT NULL,
    params_json   VARCHAR(65536) NOT NULL,
    state         VARCHAR(16)   NOT NULL,
    priority      INTEGER       NOT NULL,
    attempt       INTEGER       NOT NULL,
    max_retries   INTEGER       NOT NULL,
    executor      VARCHAR(32),
    exit_code     INTEGER,
    message       VARCHAR(4000),
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    queued_at     TIMESTAMP WITH TIME ZONE,
    started_at    TIMESTAMP WITH TIME ZONE,
    finished_at   TIMESTAMP WITH TIME ZONE,
    version       BIGINT        NOT NULL,
    CONSTRAINT run_index_uq UNIQUE (experiment_id, run_index),
    CONSTRAINT run_state_ck CHECK (state IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'INTERRUPTED'))
);
CREATE INDEX run_state_idx ON run (state, priority, queued_at);

-- Parameters flattened into rows so the read model can filter and group on any of them.
CREATE TABLE run_param (
    run_id        BIGINT        NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    name          VARCHAR(200)  NOT NULL,
    value_type    VARCHAR(8)    NOT NULL,
    value_text    VARCHAR(4000) NOT NULL,
    value_num     DOUBLE PRECISION,
    PRIMARY KEY (run_id, name),
    CONSTRAINT run_param_type_ck CHECK (value_type IN ('INT', 'FLOAT', 'STRING', 'BOOL'))
);
CREATE INDEX run_param_name_idx ON run_param (name, value_text);

-- Every state change, in order: the run's history and the source of live events.
CREATE TABLE run_event (
    id            BIGINT        NOT NULL PRIMARY KEY,
    run_id        BIGINT        NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    from_state    VARCHAR(16),
    to_state      VARCHAR(16)   NOT NULL,
    message       VARCHAR(4000),
    at            TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX run_event_run_idx ON run_event (run_id, id);

-- Per run and metric, kept current as points arrive (fast run tables and sorting).
CREATE TABLE metric_summary (
    run_id        BIGINT        NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    metric        VARCHAR(200)  NOT NULL,
    last_value    DOUBLE PRECISION,
    last_step     BIGINT,
    min_value     DOUBLE PRECISION,
    min_step      BIGINT,
    max_value     DOUBLE PRECISION,
    max_step      BIGINT,
    point_count   BIGINT        NOT NULL,
    nan_count     BIGINT        NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (run_id, metric)
);

CREATE TABLE artifact (
    id            BIGINT        NOT NULL PRIMARY KEY,
    run_id        BIGINT        NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    name          VARCHAR(255)  NOT NULL,
    relative_path VARCHAR(1024) NOT NULL,
    size_bytes    BIGINT        NOT NULL,
    sha256        VARCHAR(64)   NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT artifact_name_uq UNIQUE (run_id, name)
);

-- API tokens for server mode; only the SHA-256 of a token is stored.
CREATE TABLE api_token (
    id            BIGINT        NOT NULL PRIMARY KEY,
    name          VARCHAR(100)  NOT NULL,
    token_hash    VARCHAR(64)   NOT NULL,
    scope         VARCHAR(16)   NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    last_used_at  TIMESTAMP WITH TIME ZONE,
    revoked_at    TIMESTAMP WITH TIME ZONE,
    CONSTRAINT api_token_hash_uq UNIQUE (token_hash),
    CONSTRAINT api_token_name_uq UNIQUE (name),
    CONSTRAINT api_token_scope_ck CHECK (scope IN ('READ', 'WRITE'))
);
