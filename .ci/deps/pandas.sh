# Debian's pandas, for the test that runs the "For pandas users" recipe of docs/metrics-store.md on real exports.
# shellcheck source=_apt.sh
. "$(dirname "${BASH_SOURCE[0]}")/_apt.sh"
replica_apt_install "pandas" "ExportApi*Test.pandasReadsTheCsvExportsAsTheDocsSay fails under CI" python3-pandas
