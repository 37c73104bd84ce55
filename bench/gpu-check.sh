#!/usr/bin/env bash
# One check of Replica's accelerator backends on a machine with an NVIDIA GPU, sized for under 10 minutes:
#   1. the OpenCL ICD loader and clinfo from Debian, and NVIDIA's OpenCL ICD entry when the driver ships
#      libnvidia-opencl.so.1 but no /etc/OpenCL/vendors/nvidia.icd (containers with compute capability);
#   2. the TornadoVM SDK (../shared/tornadovm/build-sdk.sh, or TORNADOVM_HOME when already set) and its devices;
#   3. the kernel parity suite on the GPU through TornadoVM's JIT and through JOCL;
#   4. the training-step and SGEMM benchmarks on the GPU through both, beside the JVM backend;
# and prints one table at the end. OpenCL is limited to NVIDIA's platform (OCL_ICD_VENDORS), so TornadoVM's
# default device and the OpenCL backend's device are the GPU, not PoCL.
#
#   bench/gpu-check.sh                 # everything
#   SKIP_PARITY=1 bench/gpu-check.sh   # benchmarks only
# Needs root or sudo for apt-get, a JDK 17 (java on PATH) and a JDK 25 (for TornadoVM; JAVA_HOME_25 or
# /usr/lib/jvm/*25*). Each phase has its own time limit; a failed phase is reported and the others still run.
set -uo pipefail
cd "$(dirname "$0")/.."
LOG=$(mktemp -d -t gpu-check.XXXXXX)
SUMMARY=()
say() { printf '\n== %s ==\n' "$*"; }
record() { SUMMARY+=("$(printf '%-34s %-8s %6ss  %s' "$1" "$2" "$3" "$4")"); }
phase() { # phase NAME LIMIT_S COMMAND... : runs it (a program with a time limit), logs it, records the outcome
  local name="$1" limit="$2" start rc
  shift 2
  say "$name"
  start=$(date +%s)
  if declare -F "$1" >/dev/null; then "$@"; else timeout "$limit" "$@"; fi 2>&1 | tee "$LOG/$name.log"
  rc=${PIPESTATUS[0]}
  local took=$(($(date +%s) - start))
  if [ "$rc" -eq 0 ]; then record "$name" ok "$took" ""; elif [ "$rc" -eq 124 ]; then
    record "$name" TIMEOUT "$took" "over ${limit}s; log $LOG/$name.log"
  else record "$name" FAILED "$took" "exit $rc; log $LOG/$name.log"; fi
  return 0
}
sudo_if_needed() { if [ "$(id -u)" -ne 0 ]; then sudo "$@"; else "$@"; fi; }

say "machine"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null \
  || echo "nvidia-smi: not found (no NVIDIA driver here?)"
echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"

# 1. OpenCL: ICD loader + clinfo from Debian; NVIDIA's ICD entry if the driver library is there but unregistered.
install_icd() {
  local missing=""
  for p in ocl-icd-libopencl1 clinfo; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
  done
  if [ -n "$missing" ]; then
    sudo_if_needed apt-get update -qq >/dev/null \
      && DEBIAN_FRONTEND=noninteractive sudo_if_needed apt-get install -y -qq --no-install-recommends $missing >/dev/null
  fi
  mkdir -p "$LOG/vendors"
  local lib
  lib=$(ldconfig -p 2>/dev/null | awk '/libnvidia-opencl\.so\.1/ {print $NF; exit}')
  if [ -f /etc/OpenCL/vendors/nvidia.icd ]; then
    cp /etc/OpenCL/vendors/nvidia.icd "$LOG/vendors/"
  elif [ -n "$lib" ]; then
    echo "$lib" > "$LOG/vendors/nvidia.icd"
  else
    echo "no NVIDIA OpenCL driver (libnvidia-opencl.so.1) found"
    return 1
  fi
  OCL_ICD_VENDORS="$LOG/vendors" clinfo -l
}
phase "opencl-icd" 180 install_icd
export OCL_ICD_VENDORS="$LOG/vendors" # only NVIDIA's platform from here on
export REPLICA_KERNELS_OPENCL_DEVICE=gpu

# 2. TornadoVM SDK (a JDK 25 and its OpenCL backend) and its devices.
if [ -z "${TORNADOVM_HOME:-}" ]; then
  for d in "${REPLICA_SHARED_DIR:-}" ../shared ../../shared /work/shared; do
    if [ -n "$d" ] && [ -f "$d/tornadovm/build-sdk.sh" ]; then
      say "tornadovm-sdk"
      start=$(date +%s)
      if out=$(timeout 480 bash "$d/tornadovm/build-sdk.sh" 2> >(tee "$LOG/tornadovm-sdk.log" >&2)); then
        TORNADOVM_HOME=$(printf '%s\n' "$out" | sed -n 's/^export TORNADOVM_HOME=//p')
        TORNADOVM_JAVA_HOME=$(printf '%s\n' "$out" | sed -n 's/^export JAVA_HOME=//p')
        export TORNADOVM_HOME TORNADOVM_JAVA_HOME
        record tornadovm-sdk ok $(($(date +%s) - start)) "$TORNADOVM_HOME"
      else
        record tornadovm-sdk FAILED $(($(date +%s) - start)) "log $LOG/tornadovm-sdk.log"
      fi
      break
    fi
  done
  [ -z "${TORNADOVM_HOME:-}" ] && record tornadovm-sdk MISSING 0 "no shared/tornadovm/build-sdk.sh and TORNADOVM_HOME unset"
fi
if [ -n "${TORNADOVM_HOME:-}" ]; then
  export TORNADOVM_JAVA_HOME="${TORNADOVM_JAVA_HOME:-${JAVA_HOME_25:-$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -1)}}"
  phase "tornadovm-devices" 60 env JAVA_HOME="$TORNADOVM_JAVA_HOME" PATH="$TORNADOVM_JAVA_HOME/bin:$PATH" \
    "$TORNADOVM_HOME/bin/tornado" --devices
fi

# 3. Build (package only: the local Maven repository may be shared) and the parity suites on the GPU.
phase "build" 300 ./mvnw -q -B -DskipTests package -pl experiments,tornado-kernels/opencl,tornado-kernels/tornado -am
if [ -z "${SKIP_PARITY:-}" ]; then
  if [ -n "${TORNADOVM_HOME:-}" ]; then
    phase "parity-tornadovm-gpu" 420 ./mvnw -B -pl tornado-kernels/tornado -am test \
      -Dtest='TornadoVm*Test,TornadoApiCompatibilityTest' -Dsurefire.failIfNoSpecifiedTests=false
  fi
  phase "parity-opencl-gpu" 240 ./mvnw -B -pl tornado-kernels/opencl -am test \
    -Dtest='OpenClSharedParityTest,OpenClAvailabilityTest' -Dsurefire.failIfNoSpecifiedTests=false
fi

# 4. Benchmarks: the tiny GPT's training step and SGEMM, JVM vs OpenCL (GPU) vs TornadoVM (GPU).
phase "step-bench" 300 env WARMUP=3 STEPS=10 bench/step.sh
phase "sgemm-bench" 300 env SIZES="512 1024 2048" REPS=5 bench/sgemm.sh

say "summary"
printf '%-34s %-8s %7s  %s\n' phase result time note
printf '%s\n' "${SUMMARY[@]}"
for f in step-bench sgemm-bench; do
  [ -f "$LOG/$f.log" ] && { echo; echo "$f:"; sed -n '/^backend /,$p' "$LOG/$f.log"; }
done
grep -h "max |diff|" "$LOG"/parity-*.log 2>/dev/null | sort -t= -k2 -g -r | head -5 | sed 's/^/worst parity: /'
echo "logs: $LOG"
