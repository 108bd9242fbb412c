#!/usr/bin/env bash
# BENCHMARKS.md, "Command start-up": how long commands take as a user runs them, through ./cortex (JVM start,
# the command, exit), while the default testnet (3 nodes, 2 subnets, 4 outside neurons: 7 JVMs) runs on the
# same machine and answers them. RUNS (default 10) runs of each; prints the wall time's min, median and max,
# and the median CPU time (user + system). The runs start SETTLE (default 30) seconds after the first epoch,
# once the testnet's start-up work (registrations, staking, the nodes' JIT) has passed. BASELINE=DIR, a
# checkout of another commit with its jar built, adds its `status` against the same testnet. About 3 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
export CORTEX_HOME="${CORTEX_HOME:-$PWD/target/command-startup/home}"
out=target/command-startup
mkdir -p "$out"
./cortex testnet down >/dev/null 2>&1 || true
trap './cortex testnet down >/dev/null 2>&1 || true' EXIT
./cortex --version >/dev/null # builds the jar and trains the class archive when either is missing or stale
./cortex testnet up --detach | tail -n 1
runs="${RUNS:-10}"
sleep "${SETTLE:-30}"

measure() {
  local label="$1"
  shift
  for _ in $(seq "$runs"); do
    /usr/bin/time -o "$out/time" -f "%e %U %S" "$@" >/dev/null 2>"$out/stderr" || true
    tail -n 1 "$out/time"
  done | python3 -c '
import statistics, sys
label = sys.argv[1]
rows = [line.split() for line in sys.stdin if line.strip()]
wall = sorted(float(r[0]) for r in rows)
cpu = statistics.median(float(r[1]) + float(r[2]) for r in rows)
print(f"| {label} | {wall[0]:.2f} | {statistics.median(wall):.2f} | {wall[-1]:.2f} | {cpu:.2f} |")' "$label"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| command | min (s) | median (s) | max (s) | median CPU (s) |"
echo "|---|---|---|---|---|"
measure '`status`' ./cortex status
measure '`subnet list`' ./cortex subnet list
measure '`metagraph --netuid 1`' ./cortex metagraph --netuid 1
measure '`explain --netuid 1 --uid 3`' ./cortex explain --netuid 1 --uid 3
measure '`query --netuid 1 "3 4 5 mod 1000003"`' ./cortex query --netuid 1 "3 4 5 mod 1000003"
measure '`wallet list` (no node)' ./cortex wallet list
measure '`--version`' ./cortex --version
measure '`status --node 127.0.0.1:1` (nobody there)' ./cortex status --node 127.0.0.1:1
measure '`status`, `CORTEX_NO_CDS=1` (no class archive)' env CORTEX_NO_CDS=1 ./cortex status
if [ -n "${BASELINE:-}" ]; then
  measure "\`status\`, the CLI of $(git -C "$BASELINE" rev-parse --short HEAD)" "$BASELINE/cortex" status
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
