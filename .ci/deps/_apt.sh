# Shared by the other scripts in .ci/deps (sourced first by .ci/run, and by each of them when run alone):
# installs the Debian packages that are missing, quietly, and says which tests fail without them.
#   replica_apt_install LABEL WHAT-FAILS-WITHOUT PACKAGE...
replica_apt_install() {
  local label="$1" consequence="$2" missing="" p sudo=""
  shift 2
  if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "$label: not a Debian system; install $* yourself" >&2
    return 0
  fi
  for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing="$missing $p"
    fi
  done
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "$label: installing$missing" >&2
  $sudo apt-get update -qq >/dev/null \
    && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null \
    || echo "$label: could not install$missing ($consequence)" >&2
  return 0
}
