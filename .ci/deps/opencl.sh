# OpenCL for the kernel tests: PoCL (a real OpenCL CPU device), the ICD loader and clinfo.
# Sourced by .ci/run; idempotent and quiet: installs only what is missing.
if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "opencl: not a Debian system; install an OpenCL ICD (e.g. PoCL) yourself" >&2
  return 0 2>/dev/null || exit 0
fi
_replica_opencl_pkgs=""
for _p in pocl-opencl-icd ocl-icd-libopencl1 clinfo; do
  if ! dpkg-query -W -f='${Status}' "$_p" 2>/dev/null | grep -q "install ok installed"; then
    _replica_opencl_pkgs="$_replica_opencl_pkgs $_p"
  fi
done
if [ -n "$_replica_opencl_pkgs" ]; then
  _replica_sudo=""
  if [ "$(id -u)" -ne 0 ]; then _replica_sudo="sudo"; fi
  echo "opencl: installing$_replica_opencl_pkgs" >&2
  $_replica_sudo apt-get update -qq >/dev/null \
    && DEBIAN_FRONTEND=noninteractive $_replica_sudo apt-get install -y -qq --no-install-recommends \
      $_replica_opencl_pkgs >/dev/null \
    || echo "opencl: could not install$_replica_opencl_pkgs (the OpenCL tests fail when CI=true)" >&2
fi
unset _p _replica_opencl_pkgs _replica_sudo
