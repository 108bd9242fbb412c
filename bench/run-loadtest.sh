#!/usr/bin/env bash
# The load test of BENCHMARKS.md: a local testnet (3 nodes, 2 compute subnets of 16 miners and 4 validators,
# 250 ms blocks), first a light load (RATE_LOW, default 5 queries/s for 20 s: the latency of a query alone),
# then the load (RATE, default 100 queries/s for DURATION, default 60 s, an open workload), each reported with
# the ledger's block gaps and epochs meanwhile; then the testnet goes down. Reports land in target/loadtest/.
# About 3 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
export CORTEX_HOME="${CORTEX_HOME:-$PWD/target/loadtest/home}"
mkdir -p target/loadtest
./cortex testnet down >/dev/null 2>&1 || true
trap './cortex testnet down >/dev/null 2>&1 || true' EXIT
./cortex testnet up --detach | tail -n 1
echo "== light load (a query alone)"
./cortex loadtest --rate "${RATE_LOW:-5}" --duration 20s --out target/loadtest/light.json | tail -n 6
echo "== load"
./cortex loadtest --rate "${RATE:-100}" --duration "${DURATION:-60s}" --out target/loadtest/load.json | tail -n 6
