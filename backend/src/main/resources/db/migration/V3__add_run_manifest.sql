-- The run's manifest (canonical JSON) and its recipe hash: runs with equal hashes are repeats of one recipe.
ALTER TABLE run ADD COLUMN recipe_hash VARCHAR(64);
ALTER TABLE run ADD COLUMN manifest_json VARCHAR(1048576);
CREATE INDEX run_recipe_idx ON run (recipe_hash);
