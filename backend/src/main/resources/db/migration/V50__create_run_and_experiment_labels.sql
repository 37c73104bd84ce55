-- What a user says about a run or an experiment: a display name, a Markdown note, tags, and whether it is
-- archived (hidden from default views, reversible). Kept out of the run and experiment rows on purpose:
-- those belong to the scheduler (a run's row carries an optimistic-lock version), and renaming or tagging a
-- running run must never race its state changes (docs/adr/0011). A missing label row means "no labels".
CREATE TABLE run_label (
    run_id        BIGINT        NOT NULL PRIMARY KEY REFERENCES run (id) ON DELETE CASCADE,
    display_name  VARCHAR(200),
    note          VARCHAR(65536),
    archived      BOOLEAN       DEFAULT FALSE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX run_label_archived_idx ON run_label (archived);

CREATE TABLE run_tag (
    run_id        BIGINT        NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    tag           VARCHAR(64)   NOT NULL,
    PRIMARY KEY (run_id, tag)
);
CREATE INDEX run_tag_tag_idx ON run_tag (tag);

CREATE TABLE experiment_label (
    experiment_id BIGINT        NOT NULL PRIMARY KEY REFERENCES experiment (id) ON DELETE CASCADE,
    display_name  VARCHAR(200),
    note          VARCHAR(65536),
    archived      BOOLEAN       DEFAULT FALSE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE experiment_tag (
    experiment_id BIGINT        NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    tag           VARCHAR(64)   NOT NULL,
    PRIMARY KEY (experiment_id, tag)
);
CREATE INDEX experiment_tag_tag_idx ON experiment_tag (tag);
