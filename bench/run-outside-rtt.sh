#!/usr/bin/env bash
# BENCHMARKS.md, "Outside miner vs hosted miner": a local testnet of 3 nodes and one compute subnet with 6
# hosted miners graded 0.1 ... 1.0 (the best does about 10 ms of simulated work a task) and 2 hosted
# validators, plus an outside miner of quality 1.0 run by `cortex miner run` with a wallet of its own. Then,
# through each node's API in turn, validator-style rounds (a query to every miner) at RATE (default 20) a
# second for DURATION (default 20s): the per-miner table shows each miner's round trip at that node's
# dendrite, a hosted one over IPC from its own node and over UDP from the others, the outside one over UDP.
# Reports land in target/outside-rtt/. About 3 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
export CORTEX_HOME="${CORTEX_HOME:-$PWD/target/outside-rtt/home}"
mkdir -p target/outside-rtt
./cortex testnet down >/dev/null 2>&1 || true
MINER=""
cleanup() {
  [ -n "$MINER" ] && kill "$MINER" 2>/dev/null && wait "$MINER" 2>/dev/null || true
  ./cortex testnet down >/dev/null 2>&1 || true
}
trap cleanup EXIT
./cortex testnet up --detach --nodes 3 --subnets 1 --miners 6 --validators 2 --outside 0 | tail -n 1
password=target/outside-rtt/password
head -c 24 /dev/urandom | base64 > "$password"
chmod 600 "$password"
rm -rf "$CORTEX_HOME/wallets/rtt"
./cortex wallet create rtt --password-file "$password" | head -n 1
./cortex wallet transfer --from alice --to rtt --amount 100 | tail -n 1
./cortex miner run --wallet rtt --netuid 1 --mechanism compute --quality 1.0 --password-file "$password" \
  > target/outside-rtt/miner.log 2>&1 &
MINER=$!
for _ in $(seq 1 60); do
  if ./cortex metagraph --netuid 1 2>/dev/null | grep -qE "127\.0\.0\.1:[0-9]+ +own keys"; then break; fi
  sleep 2
done
./cortex metagraph --netuid 1 | head -n 12
for port in $(./cortex testnet status | grep -oE "127\.0\.0\.1:[0-9]+" | sort -u); do
  echo "== rounds through the node at $port"
  ./cortex loadtest --node "$port" --netuid 1 --rate "${RATE:-20}" --duration "${DURATION:-20s}" --round-share 1 \
    --out "target/outside-rtt/${port//[:.]/_}.json" | sed -n '/miner round trip/,$p'
done
