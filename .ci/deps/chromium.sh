# Chromium for the workbench's end-to-end tests and screenshots (Debian's package, driven headless).
# Sourced by .ci/run; idempotent and quiet: installs only when missing.
. "$(dirname "${BASH_SOURCE[0]}")/_apt.sh"
replica_apt_install chromium "the browser tests fail when CI=true" chromium
