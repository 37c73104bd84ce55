#!/usr/bin/env bash
# CLI latency (issue #21): medians of N runs of `replica ls`, `show`, `validate` and `compare` through the
# launcher, beside `python3 -c pass` as the floor measured in the same run; the ratio to the floor is what to
# compare between machines. Uses a fresh home with one small finished experiment (4 runs of 20 steps); prints load averages before
# and after, since on a shared machine they decide the wall-clock figures.
#
#   bench/cli-latency.sh            # N=10
#   N=5 bench/cli-latency.sh
set -euo pipefail
cd "$(dirname "$0")/.."
n="${N:-10}"
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
export REPLICA_HOME="$home"
spec="$home/tiny.yaml"
cat >"$spec" <<'YAML'
apiVersion: replica/v1
name: cli-latency
kind: optimizer-sweep
params: {task: teacher-stream, steps: 20, batch: 16, width: 16}
sweep:
  grid: {optimizer: [adamw, normuon]}
seeds: [0, 1]
metric: {primary: val/loss, goal: min}
compare: {baseline: {optimizer: adamw}}
YAML

echo "# $(date -u +%FT%TZ) $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
./replica run "$spec" >/dev/null 2>&1 # also builds the app when it is missing or stale
run="$(./replica ls cli-latency --limit 1 | awk 'NR==2 {print $1}')"
./replica ls >/dev/null 2>&1 # the first short command after a build dumps the class archive: not timed

# median wall seconds of n runs of the command
median() {
    local times=()
    for ((i = 0; i < n; i++)); do
        local s e
        s=$(date +%s%N)
        "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
        e=$(date +%s%N)
        times+=("$(((e - s) / 1000))")
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m = NR % 2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2; printf "%.3f", m/1e6}'
}

floor=$(median python3 -c pass)
printf '%-28s %9s %9s\n' command "median s" "× floor"
printf '%-28s %9s %9s\n' "python3 -c pass" "$floor" "1.0"
for cmd in "ls" "show $run" "validate $spec" "compare cli-latency"; do
    # shellcheck disable=SC2086
    t=$(median ./replica $cmd)
    printf '%-28s %9s %9s\n' "replica ${cmd%% *}" "$t" "$(awk -v t="$t" -v f="$floor" 'BEGIN {printf "%.1f", t/f}')"
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
