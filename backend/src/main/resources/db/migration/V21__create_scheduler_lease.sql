-- One process at a time checks every run's heartbeat while the others run: whoever holds this lease
-- (renewed at each poll) recovers the runs of owners that stopped. A lease whose holder died
-- expires and the next live scheduler takes it.
CREATE TABLE scheduler_lease (
    name          VARCHAR(64)   NOT NULL PRIMARY KEY,
    owner         VARCHAR(200),
    expires_at    TIMESTAMP WITH TIME ZONE
);
INSERT INTO scheduler_lease (name, owner, expires_at) VALUES ('recovery', NULL, NULL);
