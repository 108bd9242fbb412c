#!/usr/bin/env bash
# The failover benchmark of BENCHMARKS.md: RUNS times (default 5), a fresh local testnet (NODES, default 3 nodes;
# 2 compute subnets of 16 miners and 4 validators, 250 ms blocks, the H2 ledger) serves end users' queries
# (RATE, default 40 queries/s, sent to a node that survives) and loses the node that holds the ledger to kill -9.
# The time from the kill to the first block the ledger writes on another node is split by the survivors' log
# lines:
#   detection   kill -9 -> a survivor marks the node UNREACHABLE (failure detector)
#   downing     -> the split-brain resolver downs it
#   hand-over   -> the ledger starts on the next oldest node (the leader removes the downed node; singleton)
#   store       -> the ledger's journal is ready on that node
#   recovery    -> the ledger has recovered (latest snapshot, then the blocks after it)
#   first block -> its first block is written
# The load tester's view of the same: the largest gap between two blocks it was told of. Queries are measured
# for SECONDS_BEFORE (default 10) before the kill and for SECONDS_AFTER (default 30) from
# 1 s before it; then the lost node's miners are checked in the metagraph (served again on a live node; earning
# again, those that earned before). Prints each run, then the medians. Reports and logs land in target/failover-bench/. About 2
# minutes a run. CORTEX (default ./cortex) is the command line to run.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
NODES=${NODES:-3}
RATE=${RATE:-40}
SECONDS_BEFORE=${SECONDS_BEFORE:-10}
SECONDS_AFTER=${SECONDS_AFTER:-30}
cortex=${CORTEX:-./cortex}
source bench/lib.sh
testnet_bench_dir failover-bench
trap '$cortex testnet down >/dev/null 2>&1 || true' EXIT

# a value of the local testnet's state file (TestnetState): node.<i>.<key>
prop() {
  sed -n "s/^node\.$1\.$2=//p" "$CORTEX_HOME/testnet/testnet.properties" | sed 's/\\:/:/g'
}
for run in $(seq 1 "$RUNS"); do
  echo "== run $run of $RUNS" >&2
  rm -rf "$CORTEX_HOME"
  $cortex testnet up --detach --nodes "$NODES" >"$out/up-$run.txt" 2>&1
  first_grpc=$(prop 1 grpc)
  ledger=$($cortex status --json --node "$first_grpc" | python3 -c 'import json,sys; print(json.load(sys.stdin)["ledgerAddress"])')
  victim=""; survivor=""
  for i in $(seq 1 "$NODES"); do
    if [[ "$ledger" == *":$(prop "$i" cluster-port)" ]]; then victim=$i; elif [ -z "$survivor" ]; then survivor=$i; fi
  done
  [ -n "$victim" ] || { echo "no node holds the ledger ($ledger)" >&2; exit 1; }
  survivor_grpc=$(prop "$survivor" grpc)
  victim_axon=$(grep -o 'axon aeron:udp?endpoint=[0-9.:]*' "$(prop "$victim" log)" | head -1 | sed 's/^axon //')
  $cortex loadtest --node "$survivor_grpc" --rate "$RATE" --duration "${SECONDS_BEFORE}s" \
    --out "$out/before-$run.json" >"$out/before-$run.txt" 2>&1
  for netuid in 1 2; do
    $cortex metagraph --netuid "$netuid" --json --node "$survivor_grpc" >"$out/metagraph-$run-$netuid-before.json"
  done
  $cortex loadtest --node "$survivor_grpc" --rate "$RATE" --duration "${SECONDS_AFTER}s" \
    --out "$out/after-$run.json" >"$out/after-$run.txt" 2>&1 &
  load=$!
  for _ in $(seq 1 300); do # the load tester is sending once it has printed its header
    grep -q '^loadtest of' "$out/after-$run.txt" 2>/dev/null && break
    sleep 0.1
  done
  sleep 1
  killed_at=$(now_ms)
  kill -9 "$(prop "$victim" pid)"
  wait "$load" || true
  for netuid in 1 2; do
    $cortex metagraph --netuid "$netuid" --json --node "$survivor_grpc" >"$out/metagraph-$run-$netuid-after.json" || true
  done
  mkdir -p "$out/logs-$run"
  cp "$CORTEX_HOME"/testnet/logs/*.log "$out/logs-$run/"
  echo "$killed_at n$victim $victim_axon" >"$out/kill-$run.txt"
  $cortex testnet down >/dev/null 2>&1 || true
done

python3 - "$out" "$RUNS" <<'PY'
import datetime, glob, json, os, re, statistics, sys
out, runs = sys.argv[1], int(sys.argv[2])
STEPS = [("detection", r"Marking node as UNREACHABLE"), ("downing", r"SBR took decision"),
         ("hand-over", r"the ledger starts on this node"), ("store", r"the ledger's journal is ready"),
         ("recovery", r"ledger (recovered at block|started at genesis)"), ("first block", r"first block \d+ written")]

def stamp(line, day):
    m = re.match(r"(\d\d):(\d\d):(\d\d)\.(\d\d\d) ", line)
    if not m:
        return None
    h, mi, s, ms = map(int, m.groups())
    t = datetime.datetime.combine(day, datetime.time(h, mi, s, ms * 1000), tzinfo=datetime.timezone.utc)
    return t.timestamp() * 1000

def share(report):
    r = json.load(open(report))
    ok = 100.0 * r["miner_answers_ok"] / r["miner_answers"] if r["miner_answers"] else 0.0
    return r["sent"], r["failed"], r["errors"], ok, r["block_gap_ms"]["max"]

rows = []
for run in range(1, runs + 1):
    killed_at, victim, axon = open(f"{out}/kill-{run}.txt").read().split()
    killed_at = float(killed_at)
    day = datetime.datetime.fromtimestamp(killed_at / 1000, datetime.timezone.utc).date()
    times = {}
    for log in sorted(glob.glob(f"{out}/logs-{run}/*.log")):
        if os.path.basename(log) == victim + ".log":
            continue
        for line in open(log, errors="replace"):
            t = stamp(line, day)
            if t is None or t < killed_at - 1000:
                continue
            for name, pattern in STEPS:
                if re.search(pattern, line) and (name not in times or t < times[name]):
                    times[name] = t
    split, previous = {}, killed_at
    for name, _ in STEPS:
        if name not in times:
            split[name] = None
            continue
        split[name] = max(0.0, times[name] - previous)
        previous = max(previous, times[name])
    total = times.get("first block", killed_at) - killed_at if "first block" in times else None
    before, after = share(f"{out}/before-{run}.json"), share(f"{out}/after-{run}.json")
    lost = healed = earned = paid = 0
    for netuid in (1, 2):
        was = json.load(open(f"{out}/metagraph-{run}-{netuid}-before.json"))
        try:
            now = {n["hotkey"]: n for n in json.load(open(f"{out}/metagraph-{run}-{netuid}-after.json"))["neurons"]}
        except (OSError, ValueError, KeyError):
            now = {}
        for n in was["neurons"]:
            if n["axon"] != axon:
                continue
            lost += 1
            earned += int(n["incentive"]) > 0
            m = now.get(n["hotkey"])
            if m and m["axon"] and m["axon"] != axon:
                healed += 1
                paid += int(n["incentive"]) > 0 and int(m["incentive"]) > 0
    rows.append((run, total, split, before, after, lost, healed, paid))
    gap = after[4]
    fmt = lambda v: "-" if v is None else f"{v / 1000:.2f}"
    print(f"run {run}: first block {fmt(total)} s after kill -9 of {victim} (largest block gap the load tester saw"
          + f" {gap / 1000:.2f} s) = "
          + ", ".join(f"{k} {fmt(v)}" for k, v in split.items())
          + f"; queries before the kill: {before[1]} of {before[0]} failed, {before[3]:.1f} % of miner answers 200;"
          + f" from 1 s before it for {os.environ.get('SECONDS_AFTER', '30')} s: {after[1]} of {after[0]} failed"
          + f" {after[2]}, {after[3]:.1f} % 200; then {healed} of the lost node's {lost} miners serve a live axon,"
          + f" {paid} of the {earned} that earned before the kill earn again")

def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) / 1000 if values else float("nan")

print()
print("| | median (s) | runs (s) |")
print("|---|---|---|")
print(f"| kill -9 to the first new block | {median([r[1] for r in rows]):.2f} | "
      + ", ".join("-" if r[1] is None else f"{r[1] / 1000:.2f}" for r in rows) + " |")
for name, _ in STEPS:
    vals = [r[2][name] for r in rows]
    print(f"| {name} | {median(vals):.2f} | " + ", ".join("-" if v is None else f"{v / 1000:.2f}" for v in vals) + " |")
print(f"| largest block gap, as the load tester saw the blocks | {median([r[4][4] for r in rows]):.2f} | "
      + ", ".join(f"{r[4][4] / 1000:.2f}" for r in rows) + " |")
fail_after = sum(r[4][1] for r in rows); sent_after = sum(r[4][0] for r in rows)
print(f"\nqueries from 1 s before the kill for {os.environ.get('SECONDS_AFTER', '30')} s, all runs: {fail_after} of {sent_after} failed; "
      f"miner answers 200: median {statistics.median([r[4][3] for r in rows]):.1f} % (before the kill "
      f"{statistics.median([r[3][3] for r in rows]):.1f} %)")
PY
