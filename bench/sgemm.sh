#!/usr/bin/env bash
# SGEMM throughput: OpenBLAS vs Replica's JVM backend vs the OpenCL backend (and TornadoVM when TORNADOVM_HOME
# names a built SDK), in one invocation.
#
#   bench/sgemm.sh                 # n = 256 512 1024 2048, 7 reps (medians)
#   SIZES="512 1024" REPS=5 bench/sgemm.sh
#   REPLICA_KERNELS_OPENCL_DEVICE=gpu bench/sgemm.sh     # the OpenCL rows on a GPU
#
# Prints one "sgemm BACKEND n GFLOP/s" line per measurement, then a table with the ratio of each
# backend to OpenBLAS. Installs Debian's libopenblas-dev when it is missing (needs root or sudo),
# and builds the kernel modules with ./mvnw when their classes are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-"256 512 1024 2048"}
REPS=${REPS:-7}
OUT=bench/.build
mkdir -p "$OUT"

sudo_if_needed() { if [ "$(id -u)" -ne 0 ]; then sudo "$@"; else "$@"; fi; }
if ! dpkg-query -W -f='${Status}' libopenblas-dev 2>/dev/null | grep -q "install ok installed"; then
  echo "# installing libopenblas-dev" >&2
  sudo_if_needed apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive sudo_if_needed apt-get install -y -qq --no-install-recommends libopenblas-dev >/dev/null
fi
if [ ! -x "$OUT/sgemm" ] || [ bench/sgemm.c -nt "$OUT/sgemm" ]; then
  cc -O2 -o "$OUT/sgemm" bench/sgemm.c -lopenblas
fi

# The runners (KernelBench, SgemmBench) are test classes: benchmarks stay out of the shipped jars.
KERNELS=tornado-kernels/kernels/target/classes:tornado-kernels/kernels/target/test-classes
OPENCL=tornado-kernels/opencl/target/classes:tornado-kernels/opencl/target/test-classes
TORNADO=tornado-kernels/tornado/target/classes
if [ ! -f tornado-kernels/opencl/target/test-classes/dev/replica/kernels/opencl/SgemmBench.class ] \
    || [ ! -f tornado-kernels/kernels/target/test-classes/dev/replica/kernels/bench/KernelBench.class ] \
    || [ ! -d "$TORNADO/dev" ]; then
  echo "# building the kernel modules" >&2
  ./mvnw -q -B -pl tornado-kernels/opencl,tornado-kernels/tornado -am test-compile >&2
fi
JOCL=$(find "${HOME}/.m2/repository/org/jocl/jocl" -name 'jocl-*.jar' | sort | tail -1)
CP="$KERNELS:$OPENCL:$JOCL"
JAVA=(java --add-modules jdk.incubator.vector -cp "$CP")
SIZES_CSV=$(echo $SIZES | tr ' ' ',')

echo "# $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
RESULTS=$(mktemp)
trap 'rm -f "$RESULTS"' EXIT
{
  "$OUT/sgemm" "$REPS" $SIZES
  "${JAVA[@]}" dev.replica.kernels.bench.KernelBench --only sgemm --sizes "$SIZES_CSV" 2>/dev/null
  "${JAVA[@]}" dev.replica.kernels.opencl.SgemmBench --backend opencl --sizes "$SIZES_CSV" --reps "$REPS" 2>/dev/null
  "${JAVA[@]}" dev.replica.kernels.opencl.SgemmBench --backend opencl-device --sizes "$SIZES_CSV" --reps "$REPS" 2>/dev/null
  # TornadoVM's JIT on its default device (JDK 25, launcher arguments, no api-jvm), when the SDK is built
  if [ -n "${TORNADOVM_HOME:-}" ] && [ -f "$TORNADOVM_HOME/tornado-argfile" ]; then
    "${TORNADOVM_JAVA_HOME:+$TORNADOVM_JAVA_HOME/bin/}java" @"$TORNADOVM_HOME/tornado-argfile" \
      --add-modules jdk.incubator.vector -Dtornado.recover.bailout=False -cp "$CP:$TORNADO" \
      dev.replica.kernels.opencl.SgemmBench --backend tornadovm --sizes "$SIZES_CSV" --reps "$REPS" 2>/dev/null \
      || echo "# tornadovm: failed"
  fi
} | tee "$RESULTS"
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

echo
printf '%-14s %6s %10s %9s\n' backend n GFLOP/s vs-OpenBLAS
awk '$1 == "sgemm" { v[$2 " " $3] = $4; if (!($2 in seen)) { seen[$2] = 1; order[++nb] = $2 } ns[$3] = 1 }
     END {
       for (b = 1; b <= nb; b++) for (n in ns) if ((order[b] " " n) in v) {
         base = v["openblas " n]
         ratio = 0
         if (base > 0) ratio = v[order[b] " " n] / base
         printf "%-14s %6d %10.1f %8.2fx\n", order[b], n, v[order[b] " " n], ratio
       }
     }' "$RESULTS" | sort -k1,1 -k2,2n
