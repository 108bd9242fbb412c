#!/usr/bin/env bash
# The mainnet-size simulation of BENCHMARKS.md: examples/scenarios/mainnet-size.json (64 subnets x 256 uids,
# 50 epochs of 10 blocks) with its wall time and peak memory (GNU time), and as the same-run baseline the
# ledger alone (`cortex ledger simulate`) for the same number of blocks at the same size: what the neurons,
# their queries and the subnet mechanisms cost on top of the state machine. About 4 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target/simulate-bench
timed() { /usr/bin/time -f "%e s wall, %U s user, %M KB peak RSS" "$@"; }
./cortex --version >/dev/null   # builds the jar first, outside the timings
echo "== mainnet-size scenario"
timed ./cortex simulate examples/scenarios/mainnet-size.json --out target/simulate-bench/mainnet-size \
  2>&1 | grep -v '^  epoch' | grep -v '^ \{4,\}[0-9]'
echo "== baseline: the ledger alone, random honest activity, same blocks and size"
timed ./cortex ledger simulate --blocks "${BLOCKS:-560}" --subnets 64 --neurons 256 --seed 64 2>&1 | tail -n 4
