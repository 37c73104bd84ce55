# The TornadoVM SDK (5.2.0-jdk25, OpenCL backend) for the kernel tests that run through TornadoVM's JIT on PoCL
# (the tornadovm-sdk execution of tornado-kernels/tornado, see docs/kernels.md). Sourced by .ci/run (which runs
# with `set -euo pipefail`; every command here is guarded). Builds the SDK with the project's shared
# tornadovm/build-sdk.sh (once: it caches under ~/.cache/tornadovm by the source tarball's stamp, and a later call
# returns at once) and exports TORNADOVM_HOME and TORNADOVM_JAVA_HOME (the JDK 25 the SDK needs). JAVA_HOME is left
# alone: Maven and the other tests stay on the default JDK 17.
_replica_tvm_script=""
for _replica_tvm_dir in "${REPLICA_SHARED_DIR:-}" "$PWD/../shared" "$PWD/../../shared" /work/shared; do
  if [ -n "$_replica_tvm_dir" ] && [ -f "$_replica_tvm_dir/tornadovm/build-sdk.sh" ]; then
    _replica_tvm_script="$_replica_tvm_dir/tornadovm/build-sdk.sh"
    break
  fi
done
if [ -z "$_replica_tvm_script" ]; then
  echo "tornadovm: no shared/tornadovm/build-sdk.sh beside the repository (looked in \$REPLICA_SHARED_DIR," \
    "../shared, ../../shared and /work/shared); the TornadoVM SDK tests fail when CI=true" >&2
else
  _replica_tvm_log="$(mktemp)"
  if _replica_tvm_out="$(bash "$_replica_tvm_script" 2>"$_replica_tvm_log")"; then
    _replica_tvm_home="$(printf '%s\n' "$_replica_tvm_out" | sed -n 's/^export TORNADOVM_HOME=//p' | tail -n 1)"
    _replica_tvm_java="$(printf '%s\n' "$_replica_tvm_out" | sed -n 's/^export JAVA_HOME=//p' | tail -n 1)"
    if [ -n "$_replica_tvm_home" ] && [ -x "$_replica_tvm_home/bin/tornado" ] && [ -x "$_replica_tvm_java/bin/java" ]; then
      export TORNADOVM_HOME="$_replica_tvm_home" TORNADOVM_JAVA_HOME="$_replica_tvm_java"
    else
      echo "tornadovm: $_replica_tvm_script printed no usable SDK; the TornadoVM SDK tests fail when CI=true" >&2
    fi
  else
    echo "tornadovm: building the SDK with $_replica_tvm_script failed; the TornadoVM SDK tests fail when" \
      "CI=true. Last lines of its output:" >&2
    tail -n 30 "$_replica_tvm_log" >&2 || true
  fi
  rm -f "$_replica_tvm_log"
fi
unset _replica_tvm_script _replica_tvm_dir _replica_tvm_log _replica_tvm_out _replica_tvm_home _replica_tvm_java
