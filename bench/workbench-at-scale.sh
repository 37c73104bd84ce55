#!/usr/bin/env bash
# The workbench at scale in Debian's Chromium: the compare view of 100 runs x 100,000 points and the runs
# table of a 10,000-run experiment, timed with the pages' own Performance API figures (printed; the figures
# in docs/ui.md "Measured here" came from this). A benchmark, so not part of `./mvnw verify`: it is the
# JUnit test WorkbenchAtScaleBrowserTest, tagged `bench`, which only the `bench` profile includes.
#
#   bench/workbench-at-scale.sh
#
# Needs /usr/bin/chromium (.ci/deps/chromium.sh installs it); a few minutes on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "# $(date -u +%FT%TZ) $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
./mvnw -B -pl backend -am test -Pbench -Dtest=WorkbenchAtScaleBrowserTest -Dsurefire.failIfNoSpecifiedTests=false
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
