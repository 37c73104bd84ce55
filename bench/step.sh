#!/usr/bin/env bash
# Training-step time of the tiny GPT (4 layers, 4 heads, width 128, context 64, batch 4, 65-character vocabulary):
# forward + cross-entropy + backward + AdamW, ms per step on each kernel backend in one invocation, median of
# STEPS timed steps after WARMUP steps (bench/StepBench.java), and the ratio of each backend to the JVM backend.
#
#   bench/step.sh                     # jvm, opencl (PoCL or a GPU; resident tensors, then the array path), tornadovm
#                                     # (when TORNADOVM_HOME is set)
#   WARMUP=5 STEPS=20 bench/step.sh
#   REPLICA_KERNELS_OPENCL_DEVICE=gpu bench/step.sh
#
# TornadoVM runs on TORNADOVM_JAVA_HOME (a JDK 25; else java on PATH) with @$TORNADOVM_HOME/tornado-argfile and
# without Replica's api-jvm on the class path, so its rows are TornadoVM's JIT on its default device. Builds the
# modules with ./mvnw (package, never install) when their classes are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
WARMUP=${WARMUP:-5}
STEPS=${STEPS:-10}
# NAME-arrays runs NAME through the array contract (every op copies its operands) instead of resident tensors.
BACKENDS=${BACKENDS:-"jvm opencl opencl-arrays tornadovm"}

if [ ! -d experiments/target/classes/dev/replica/experiments/train ] \
    || [ ! -d tornado-kernels/opencl/target/classes/dev ] || [ ! -d tornado-kernels/tornado/target/classes/dev ]; then
  echo "# building the kernel and experiments modules" >&2
  ./mvnw -q -B -DskipTests package -pl experiments,tornado-kernels/opencl,tornado-kernels/tornado -am >&2
fi
JOCL=$(find "${HOME}/.m2/repository/org/jocl/jocl" -name 'jocl-*.jar' | sort | tail -1)
K=tornado-kernels
CP_COMMON="experiments/target/classes:$K/kernels/target/classes:$K/opencl/target/classes:$K/tornado/target/classes:$JOCL"
ARGS=(--warmup "$WARMUP" --steps "$STEPS")
# Compiled once (Java 17 bytecode): TornadoVM's launcher arguments cannot go through the source-file launcher.
mkdir -p bench/.build/step
if [ ! -f bench/.build/step/StepBench.class ] || [ bench/StepBench.java -nt bench/.build/step/StepBench.class ]; then
  javac --release 17 -d bench/.build/step -cp "$CP_COMMON" bench/StepBench.java
fi
CP_COMMON="bench/.build/step:$CP_COMMON"

echo "# $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
RESULTS=$(mktemp)
trap 'rm -f "$RESULTS"' EXIT
{
  for b in $BACKENDS; do
    case "$b" in
      tornadovm)
        if [ -z "${TORNADOVM_HOME:-}" ] || [ ! -f "$TORNADOVM_HOME/tornado-argfile" ]; then
          echo "# tornadovm: skipped (TORNADOVM_HOME unset; build the SDK with ../shared/tornadovm/build-sdk.sh)"
          continue
        fi
        TJAVA="${TORNADOVM_JAVA_HOME:+$TORNADOVM_JAVA_HOME/bin/}java"
        "$TJAVA" @"$TORNADOVM_HOME/tornado-argfile" --add-modules jdk.incubator.vector \
          -Dtornado.recover.bailout=False -Dtornado.tvm.maxbytecodesize=65536 \
          -cp "$CP_COMMON" StepBench --backend tornadovm "${ARGS[@]}" 2>/dev/null \
          || echo "# tornadovm: failed (rerun without 2>/dev/null to see why)"
        ;;
      *)
        PATH_ARGS=(--path tensors)
        [[ "$b" == *-arrays ]] && PATH_ARGS=(--path arrays)
        java --add-modules jdk.incubator.vector -cp "$CP_COMMON:$K/api-jvm/target/classes" \
          StepBench --backend "${b%-arrays}" "${PATH_ARGS[@]}" "${ARGS[@]}" 2>/dev/null || echo "# $b: failed"
        ;;
    esac
  done
} | tee "$RESULTS"
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%-10s %12s %9s\n' backend ms/step vs-jvm
awk '$1 == "step" { v[$2] = $3; order[++n] = $2 }
     END { for (i = 1; i <= n; i++) printf "%-10s %12.2f %9s\n", order[i], v[order[i]],
             ("jvm" in v) ? sprintf("%.2fx", v[order[i]] / v["jvm"]) : "-" }' "$RESULTS"
