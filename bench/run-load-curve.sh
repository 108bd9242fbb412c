#!/usr/bin/env bash
# The load curve of BENCHMARKS.md: the default local testnet (3 node processes, 2 compute subnets of 16 miners
# and 4 validators, 250 ms blocks) under `cortex loadtest --ramp`, an open workload stepped from RAMP (default
# 50:800:50 queries/s, STEP_DURATION each, default 15s, after a 5 s warm-up at the first rate) until the
# response p99 passes twice the first step's service p99 or a query is lost, twice running at one rate; its
# knee is the highest rate within that bound that lost nothing. Beside it, from the same run and machine: raw
# Aeron ping-pong over UDP (RawPingPong) and a Pekko gRPC unary call (QueryBench), COUNT round trips each
# (default 20000). Then the validator-to-miner path itself on the same testnet: `loadtest --path aeron`, a
# validator's queries straight to subnet 1's miners over Aeron, signed by dave's hotkey once a stake gives it a
# permit, ramped from AERON_RAMP (default 200:3000:200) the same way. Reports land in target/load-curve/.
# About 12 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/load-curve
mkdir -p "$out"
export CORTEX_HOME="${CORTEX_HOME:-$PWD/$out/home}"

mvn -B -q -DskipTests -pl bench -am package
jar=bench/target/benchmarks.jar
COUNT=${COUNT:-20000}
JAVA=(java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -Xmx1g -cp "$jar")
bench=(-Dbench.count=$COUNT -Dbench.warmup=$COUNT -Dbench.inFlight=32 -Dbench.seconds=10)
source bench/lib.sh
trap 'stop_all; ./cortex testnet down >/dev/null 2>&1 || true' EXIT

echo "== baseline: raw Aeron ping-pong, UDP" >&2
raw_aeron_udp
echo "== baseline: Pekko gRPC unary" >&2
grpc_unary "${bench[@]}"

echo "== the testnet's load curve" >&2
./cortex testnet down >/dev/null 2>&1 || true
./cortex testnet up --detach | tail -n 1
./cortex loadtest --ramp "${RAMP:-50:800:50}" --step-duration "${STEP_DURATION:-15s}" --curve "$out/curve" \
  --out "$out/curve.json" | tee "$out/ramp.txt"

echo "== the validator-to-miner path over Aeron: dave's hotkey with a validator permit on subnet 1" >&2
uid=$(./cortex register --netuid 1 --wallet dave | sed -n 's/.* as uid \([0-9]*\)$/\1/p')
./cortex stake add --wallet dave --netuid 1 --amount 100 >/dev/null
for _ in $(seq 60); do
  ./cortex metagraph --netuid 1 --from-uid "$uid" --limit 1 --json | grep -q '"validatorPermit": true' && break
  sleep 1
done
./cortex loadtest --path aeron --validator-wallet dave --netuid 1 --ramp "${AERON_RAMP:-200:3000:200}" \
  --step-duration "${STEP_DURATION:-15s}" --curve "$out/aeron-curve" --out "$out/aeron-curve.json" | tee "$out/aeron-ramp.txt"
./cortex testnet down >/dev/null

python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
def result(name):
    for line in open(f"{out}/{name}.txt"):
        if line.startswith("RESULT"):
            return {k: float(v) for k, v in (f.split("=") for f in line.split()[2:])}
    raise SystemExit(f"no RESULT in {name}.txt")
raw, grpc = result("raw-udp"), result("grpc")
for name, title in (("curve", "end users' queries through the API"), ("aeron-curve", "a validator's queries over Aeron")):
    curve = json.load(open(f"{out}/{name}.json"))
    print(f"\n{title}\n")
    print("| rate asked | achieved | lost | response p50 (ms) | response p99 (ms) | service p99 (ms) | schedule lag p99 (ms) | within |")
    print("|---|---|---|---|---|---|---|---|")
    for s in curve["steps"]:
        print(f"| {s['rate']} | {s['achieved']:.1f} | {s['lost']} | {s['response_p50_ms']:.1f} | "
              f"{s['response_p99_ms']:.1f} | {s['service_p99_ms']:.1f} | {s['lag_p99_ms']:.2f} | "
              f"{'yes' if s['within_bound'] else 'no'} |")
    print(f"\nknee: {curve['knee_rate']} queries/s (bound: response p99 <= {curve['p99_bound_ms']:.1f} ms, no query lost)")
print(f"baselines, same run: raw Aeron UDP ping-pong p50 {raw['p50_us']:.1f} µs, p99 {raw['p99_us']:.1f} µs, "
      f"{raw['conc_qps']:,.0f} calls/s 32 in flight; Pekko gRPC unary p50 {grpc['p50_us']:.1f} µs, p99 {grpc['p99_us']:.1f} µs, "
      f"{grpc['conc_qps']:,.0f} calls/s 32 in flight")
PY
