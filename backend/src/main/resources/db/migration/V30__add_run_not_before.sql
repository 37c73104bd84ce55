-- A retried run waits until this time before any scheduler claims it (Slurm retries back off, so a node
-- failure does not burn every retry within a second); null: claimable at once.
ALTER TABLE run ADD COLUMN not_before TIMESTAMP WITH TIME ZONE;
