-- What MLflow's tracking API knows about experiments and runs that Replica's own tables do not (yet):
-- soft deletion, run names, users, MLflow's start/end times and tags. Replica's experiment and run rows
-- stay the source of truth for params, state and metrics, so the compare view, seed grouping and
-- exports work on runs logged through MLflow's clients. Kept apart (mlflow_ prefix) so Replica-native
-- run names and tags can land in their own tables and these can migrate into them later.

CREATE TABLE mlflow_experiment (
    experiment_id     BIGINT        NOT NULL PRIMARY KEY REFERENCES experiment (id) ON DELETE CASCADE,
    lifecycle_stage   VARCHAR(16)   NOT NULL,
    artifact_location VARCHAR(1024) NOT NULL,
    last_update_time  BIGINT        NOT NULL,
    CONSTRAINT mlflow_experiment_stage_ck CHECK (lifecycle_stage IN ('active', 'deleted'))
);

CREATE TABLE mlflow_experiment_tag (
    experiment_id BIGINT        NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    name          VARCHAR(250)  NOT NULL,
    tag_value     VARCHAR(8000) NOT NULL,
    PRIMARY KEY (experiment_id, name)
);

CREATE TABLE mlflow_run (
    run_id          BIGINT       NOT NULL PRIMARY KEY REFERENCES run (id) ON DELETE CASCADE,
    run_name        VARCHAR(250) NOT NULL,
    user_id         VARCHAR(256) NOT NULL,
    lifecycle_stage VARCHAR(16)  NOT NULL,
    start_time      BIGINT       NOT NULL,
    end_time        BIGINT,
    CONSTRAINT mlflow_run_stage_ck CHECK (lifecycle_stage IN ('active', 'deleted'))
);

CREATE TABLE mlflow_run_tag (
    run_id    BIGINT        NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    name      VARCHAR(250)  NOT NULL,
    tag_value VARCHAR(8000) NOT NULL,
    PRIMARY KEY (run_id, name)
);

-- Datasets a run used (MLflow's log-inputs): their identities also go into the run's manifest.
CREATE TABLE mlflow_run_input (
    run_id        BIGINT        NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    name          VARCHAR(500)  NOT NULL,
    digest        VARCHAR(36)   NOT NULL,
    source_type   VARCHAR(64)   NOT NULL,
    source        VARCHAR(65536) NOT NULL,
    dataset_schema VARCHAR(1048576),
    profile       VARCHAR(16384),
    context       VARCHAR(250),
    PRIMARY KEY (run_id, name, digest)
);
