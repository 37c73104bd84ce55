# Chromium for the workbench's end-to-end tests and screenshots (Debian's package, driven headless).
# Sourced by .ci/run; idempotent and quiet: installs only when missing.
if command -v chromium >/dev/null 2>&1; then
  :
elif ! command -v dpkg-query >/dev/null 2>&1; then
  echo "chromium: not a Debian system; install Chromium yourself" >&2
else
  _replica_sudo=""
  if [ "$(id -u)" -ne 0 ]; then _replica_sudo="sudo"; fi
  echo "chromium: installing chromium" >&2
  $_replica_sudo apt-get update -qq >/dev/null \
    && DEBIAN_FRONTEND=noninteractive $_replica_sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null \
    || echo "chromium: could not install chromium (the browser tests fail when CI=true)" >&2
  unset _replica_sudo
fi
