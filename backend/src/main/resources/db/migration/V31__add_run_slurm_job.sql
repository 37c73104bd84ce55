-- The Slurm job array a RUNNING run's task belongs to (its id, and the job's folder holding the task map and
-- the tasks' logs), so that when the submitter dies, recovery adopts the live array instead of submitting a
-- second one. Null for runs that are not Slurm array tasks, and cleared when a run is queued again.
ALTER TABLE run ADD COLUMN slurm_job_id VARCHAR(32);
ALTER TABLE run ADD COLUMN slurm_job_dir VARCHAR(1000);
