-- Which scheduler process runs a run, and when it last said so: recovery re-queues only runs whose
-- owner stopped heart-beating (a crashed CLI or server), never runs another live process owns.
ALTER TABLE run ADD COLUMN owner VARCHAR(200);
ALTER TABLE run ADD COLUMN heartbeat_at TIMESTAMP WITH TIME ZONE;
-- Folder the spec was read from: `command` runs resolve their working directory against it.
ALTER TABLE experiment ADD COLUMN spec_dir VARCHAR(4096);
-- A cancel asked of a run another process is running: its owner sees the flag at the next heartbeat.
ALTER TABLE run ADD COLUMN cancel_requested BOOLEAN DEFAULT FALSE NOT NULL;
