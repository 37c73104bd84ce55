#!/usr/bin/env bash
# Replica's Arrow metric store vs MLflow's tracking schema on PostgreSQL, ratios in one run.
#
#   bench/metrics-vs-mlflow.sh            # 100 runs x 5 metrics x 10,000 steps (5M points)
#   bench/metrics-vs-mlflow.sh --quick    # 10 runs (500k points), a few minutes less
#   bench/metrics-vs-mlflow.sh --reps 9 --keep --dir /tmp/x   # other options: see the class javadoc
#
# Needs PostgreSQL on 127.0.0.1:5432, user postgres with trust auth (PG_URL / PG_USER override);
# creates the scratch database replica_bench and drops it at the end. Results go to stdout; the
# figures recorded in docs/performance.md ("Metric store vs MLflow's schema") came from this script.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=bench/.build
mkdir -p "$OUT"
CP_FILE="$OUT/backend-test.classpath"

echo "# compiling (backend test classes and what they depend on)" >&2
# One invocation, so that the sibling modules resolve to their target/classes (nothing needs installing);
# every module writes the file in turn and the backend, built last, writes it last.
./mvnw -q -B -pl backend -am test-compile dependency:build-classpath -DskipTests -Dmdep.outputFile="$PWD/$CP_FILE"
CP="backend/target/test-classes:backend/target/classes:experiments/target/classes:$(cat "$CP_FILE")"

ARGS=("$@")
if [ -n "${PG_URL:-}" ]; then ARGS+=(--pg "$PG_URL"); fi
if [ -n "${PG_USER:-}" ]; then ARGS+=(--pg-user "$PG_USER"); fi

echo "# $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/^Mem:/ {print $2 " GiB RAM"}')"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
java ${JAVA_OPTS:--Xmx3g} --add-opens=java.base/java.nio=ALL-UNNAMED -cp "$CP" \
  dev.replica.backend.bench.MlflowComparisonBench ${ARGS[@]+"${ARGS[@]}"}
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
