#!/usr/bin/env bash
# Scheduling overhead per run (issue #21): N no-op `command` runs (`[true]`) through `replica run`, beside a
# shell loop starting the same N processes, both in the same invocation. Prints the total of each, the overhead
# per run beyond the process start ((replica - loop) / N) and the ratio replica / loop, with load averages.
#
#   bench/scheduler-overhead.sh          # N=200
#   N=50 bench/scheduler-overhead.sh
set -euo pipefail
cd "$(dirname "$0")/.."
n="${N:-200}"
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
export REPLICA_HOME="$home"
spec="$home/noop.yaml"
cat >"$spec" <<YAML
apiVersion: replica/v1
name: noop
kind: command
command: ["true"]
replicates: $n
metric: {primary: loss, goal: min}
YAML

echo "# $(date -u +%FT%TZ) $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
./replica validate "$spec" >/dev/null # builds the app when it is missing or stale

true_bin="$(type -P true)" # the program, not the shell builtin: a process start per iteration
s=$(date +%s%N)
for ((i = 0; i < n; i++)); do "$true_bin"; done
loop=$(($(date +%s%N) - s))

s=$(date +%s%N)
./replica run "$spec" >/dev/null
total=$(($(date +%s%N) - s))

# the JVM's start, storing the spec and the closing report are paid once per `replica run`: time the same
# with one run and subtract, so what is left is the N-1 further runs
sed -i "s/^replicates: .*/replicates: 1/; s/^name: noop/name: noop-one/" "$spec"
s=$(date +%s%N)
./replica run "$spec" >/dev/null
one=$(($(date +%s%N) - s))

awk -v n="$n" -v loop="$loop" -v total="$total" -v one="$one" 'BEGIN {
    per_run = (total - one) / (n - 1)
    per_proc = loop / n
    printf "shell loop, %d processes:      %8.3f s  (%.2f ms per process)\n", n, loop / 1e9, per_proc / 1e6
    printf "replica run, %d runs:          %8.3f s  (1 run: %.3f s)\n", n, total / 1e9, one / 1e9
    printf "per further run:                %8.2f ms\n", per_run / 1e6
    printf "scheduling overhead per run:    %8.2f ms beyond the process start\n", (per_run - per_proc) / 1e6
    printf "ratio per run / per process:    %8.1f\n", per_run / per_proc
}'
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
