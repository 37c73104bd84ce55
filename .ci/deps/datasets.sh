# Data sets for the built-in experiment kinds: Fashion-MNIST (Debian's dataset-fashion-mnist, IDX files
# under /usr/share/datasets/fashion-mnist). Sourced by .ci/run; idempotent and quiet: installs only when missing.
if ! dpkg-query -W -f='${Status}' dataset-fashion-mnist 2>/dev/null | grep -q "install ok installed"; then
  _replica_sudo=""
  if [ "$(id -u)" -ne 0 ]; then _replica_sudo="sudo"; fi
  echo "datasets: installing dataset-fashion-mnist" >&2
  $_replica_sudo apt-get update -qq >/dev/null \
    && DEBIAN_FRONTEND=noninteractive $_replica_sudo apt-get install -y -qq --no-install-recommends \
      dataset-fashion-mnist >/dev/null \
    || echo "datasets: could not install dataset-fashion-mnist (the Fashion-MNIST loader test is skipped)" >&2
  unset _replica_sudo
fi
