# OpenCL for the kernel tests: PoCL (a real OpenCL CPU device), the ICD loader and clinfo.
# Sourced by .ci/run; idempotent and quiet: installs only what is missing.
. "$(dirname "${BASH_SOURCE[0]}")/_apt.sh"
replica_apt_install opencl "the OpenCL tests fail when CI=true" pocl-opencl-icd ocl-icd-libopencl1 clinfo
