#!/usr/bin/env bash
# Does adaptive search pay? ASHA, Hyperband and TPE against random search at equal compute (total optimizer
# steps) on the built-in optimizer-sweep kind (teacher-stream by default): REPS repetitions of each search with
# different sampler seeds, best final val/loss found vs the share of the budget spent, mean and 95% CI over the
# repetitions, and the share of the budget each method needs to reach random search's final best (bench/
# SearchBench.java runs real training runs one at a time and decides with Replica's own SuccessiveHalving and Tpe).
# Writes the plot to docs/images/search-vs-random.png.
#
#   bench/search-vs-random.sh                         # 5 repetitions, budget of 12 full runs of 243 steps
#   REPS=10 BUDGET_RUNS=27 STEPS=729 MIN=9 bench/search-vs-random.sh
#   TASK=char-transformer WIDTH=32 BATCH=8 bench/search-vs-random.sh
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${REPS:-5}
BUDGET_RUNS=${BUDGET_RUNS:-12}
STEPS=${STEPS:-243}
MIN=${MIN:-9}
ETA=${ETA:-3}
TASK=${TASK:-teacher-stream}
WIDTH=${WIDTH:-16}
BATCH=${BATCH:-16}
PNG=${PNG:-docs/images/search-vs-random.png}

mkdir -p bench/.build/search
CP_FILE=bench/.build/search/classpath.txt
if [ ! -s "$CP_FILE" ] || [ ! -d experiments/target/classes/dev/replica/experiments/search ]; then
  echo "# compiling the experiments module and writing its class path" >&2
  # compile in the same invocation: the reactor then resolves replica-kernels to its target/classes
  ./mvnw -q -B compile dependency:build-classpath -pl experiments -am -Dspotless.check.skip=true \
    -Dmdep.outputFile="$PWD/$CP_FILE" >&2
fi
CP="experiments/target/classes:$(cat "$CP_FILE")"
if [ ! -f bench/.build/search/SearchBench.class ] || [ bench/SearchBench.java -nt bench/.build/search/SearchBench.class ]; then
  javac --release 17 -d bench/.build/search -cp "$CP" bench/SearchBench.java
fi
echo "# $(date -u +%FT%TZ) $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
java --add-opens=java.base/java.nio=ALL-UNNAMED --add-modules jdk.incubator.vector -Djava.awt.headless=true \
  -cp "bench/.build/search:$CP" SearchBench \
  --task "$TASK" --reps "$REPS" --budget-runs "$BUDGET_RUNS" --steps "$STEPS" --min "$MIN" --eta "$ETA" \
  --width "$WIDTH" --batch "$BATCH" --png "$PNG"
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
