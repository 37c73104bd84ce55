#!/usr/bin/env bash
# The long chaos run of #13 (docs/reliability.md): ChaosIT with N SIGKILL trials of `replica serve` during REST
# ingest and run execution, on H2 and on PostgreSQL (REPLICA_TEST_PG_URL, default
# jdbc:postgresql://127.0.0.1:5432/replica_test). Prints the seed and, per database, the figures: trials,
# acknowledged points, lost, failed restarts, orphans, duplicate executions; and the load averages, which decide
# the wall-clock figures on a shared machine. Needs the packaged app (it is built when missing).
#
#   bench/chaos.sh                 # N=50
#   N=10 SEED=42 bench/chaos.sh
set -euo pipefail
cd "$(dirname "$0")/.."
n="${N:-50}"
seed="${SEED:-$(date +%s)}"
echo "# $(date -u +%FT%TZ) $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg); N=$n seed=$seed"
start=$(date +%s)
./mvnw -B -q -pl backend -am package -DskipTests -Dspotless.check.skip=true
./mvnw -B -pl backend -am test-compile failsafe:integration-test failsafe:verify -Dspotless.check.skip=true \
    -Dit.test=ChaosIT -Dfailsafe.failIfNoSpecifiedTests=false \
    -Dreplica.chaos.trials="$n" -Dreplica.chaos.seed="$seed" 2>&1 | grep -E '^chaos|Tests run:|FAIL' || true
echo "# $(( $(date +%s) - start )) s; load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
