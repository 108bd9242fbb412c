#!/usr/bin/env bash
# The rebalancing benchmark of BENCHMARKS.md (issue 20, item 3). RUNS times (default 3), a fresh local testnet of 3
# nodes that host every neuron (2 compute subnets of 16 miners and 4 validators, 250 ms blocks, validators
# querying every miner every 250 ms) grows by one node (cortex testnet add-node) and, 60 s later, loses one
# gracefully (cortex testnet remove-node n2). A sampler reads every 0.5 s what the validators' queries to each
# miner came to, as the nodes count them (the dashboard's /api/queries on n1, gathered from every node), and how
# many neuron entities each node hosts (its /metrics). For each change it prints:
#   moved    neuron entities the new node hosts once settled / the removed node hosted before it left
#   command  seconds the command took (add-node: until the node is up; remove-node: until it exited)
#   covered  seconds from the command until every miner answers again: the end of the last sampling interval
#            (half a second, longer while a node leaves) within the 60 s after the command in which a miner got
#            no answer, or had 3 or more queries time out or be refused (a miner out of reach has about 8), or
#            which cannot be judged because the nodes whose counts were gathered changed (an upper bound)
#   lost     validators' queries that failed (timed out or refused) in those 60 s, from each node's own counters
#            (a node's deltas while it is sampled before and after; a leaving node's last half-second is not
#            seen); beside it the same count in the 60 s before add-node, the baseline
# then the medians. Samples, reports and logs land in target/rebalance-bench/. About 4 minutes a run.
# CORTEX (default ./cortex) is the command line to run.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
WINDOW=${WINDOW:-60}
cortex=${CORTEX:-./cortex}
source bench/lib.sh
testnet_bench_dir rebalance-bench
sampler=""
cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null || true
  $cortex testnet down >/dev/null 2>&1 || true
}
trap cleanup EXIT

# Every 0.5 s, one JSON line: the time; each subnet's miners' counts (answered, timed out, refused) from n1's
# /api/queries, with the nodes whose counts it gathered; each running node's hosted entities, and the queries its
# validators sent that failed (any status but 200), from its /metrics.
sample() {
  exec python3 - "$CORTEX_HOME/testnet/testnet.properties" <<'PY'
import json, re, sys, time, urllib.request
props = sys.argv[1]
def nodes():
    text = open(props).read().replace("\\:", ":")
    names = dict(re.findall(r"^node\.(\d+)\.name=(\S+)$", text, re.M))
    ops = dict(re.findall(r"^node\.(\d+)\.ops=(\S+)$", text, re.M))
    return {names[i]: ops[i] for i in names if i in ops and ops[i]}
def get(url):
    with urllib.request.urlopen(url, timeout=2) as r:
        return r.read().decode()
while True:
    t = time.time()
    line = {"t": t, "queries": {}, "gathered": {}, "entities": {}, "failed": {}}
    try:
        n = nodes()
        for netuid in (1, 2):
            q = json.loads(get(f"http://{n['n1']}/api/queries?netuid={netuid}"))
            line["queries"][netuid] = {m["hotkey"]: [m["answered"], m["timedOut"], m["refused"]] for m in q["miners"]}
            line["gathered"][netuid] = sorted(q["nodes"])
        for name, ops in n.items():
            try:
                metrics = get(f"http://{ops}/metrics")
                line["entities"][name] = sum(float(v) for v in re.findall(r"^cortex_sharded_entities\{[^}]*\} (\S+)$", metrics, re.M))
                line["failed"][name] = sum(float(v) for tags, v in re.findall(r"^cortex_queries_total\{([^}]*)\} (\S+)$", metrics, re.M)
                                           if 'status="200"' not in tags)
            except Exception:
                pass
    except Exception as e:
        line["error"] = str(e)
    print(json.dumps(line), flush=True)
    time.sleep(max(0.0, 0.5 - (time.time() - t)))
PY
}

for run in $(seq 1 "$RUNS"); do
  echo "== run $run of $RUNS" >&2
  rm -rf "$CORTEX_HOME"
  $cortex testnet up --detach --outside 0 --nodes 3 --subnets 2 --miners 16 --validators 4 >"$out/up-$run.txt" 2>&1
  sample >"$out/samples-$run.jsonl" 2>"$out/sampler-$run.err" & sampler=$!
  sleep "$WINDOW"
  added=$(now_ms)
  $cortex testnet add-node >"$out/add-$run.txt" 2>&1
  added_done=$(now_ms)
  sleep "$WINDOW"
  removed=$(now_ms)
  $cortex testnet remove-node n2 >"$out/remove-$run.txt" 2>&1
  removed_done=$(now_ms)
  sleep "$WINDOW"
  kill "$sampler" 2>/dev/null || true
  sampler=""
  echo "$added $added_done $removed $removed_done" >"$out/events-$run.txt"
  mkdir -p "$out/logs-$run"
  cp "$CORTEX_HOME"/testnet/logs/*.log "$out/logs-$run/"
  $cortex testnet down >/dev/null 2>&1 || true
done

python3 - "$out" "$RUNS" "$WINDOW" <<'PY'
import datetime, json, statistics, sys
out, runs, window = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])

def analyse(samples, at, done, node, joining, baseline):
    after = [s for s in samples if at <= s["t"] <= at + window]
    before = [s for s in samples if s["t"] < at]
    def lost(span):
        total = 0
        for a, b in zip(span, span[1:]):
            total += sum(max(0, b["failed"][n] - a["failed"][n]) for n in b["failed"] if n in a["failed"])
        return int(total)
    covered = 0.0
    span = before[-1:] + after
    for a, b in zip(span, span[1:]):
        judged = a["gathered"] == b["gathered"]
        bad = not judged
        for netuid, miners in b["queries"].items():
            for hotkey, (answered, timed_out, refused) in miners.items():
                prev = a["queries"].get(netuid, {}).get(hotkey)
                if judged and prev is not None and (answered == prev[0] or timed_out + refused - prev[1] - prev[2] >= 3):
                    bad = True
        if bad:
            covered = max(covered, b["t"] - at)
    if joining:
        moved = after[-1]["entities"].get(node, 0) if after else 0
    else:
        moved = before[-1]["entities"].get(node, 0) if before else 0
    return {"moved": int(moved), "command": round(done - at, 1), "covered": round(covered, 1), "lost": lost(after),
            "baseline": lost(baseline)}

rows = []
for run in range(1, runs + 1):
    samples = [json.loads(l) for l in open(f"{out}/samples-{run}.jsonl") if l.strip()]
    samples = [s for s in samples if "error" not in s and len(s["queries"]) == 2]
    added, added_done, removed, removed_done = (int(x) / 1000 for x in open(f"{out}/events-{run}.txt").read().split())
    baseline = [s for s in samples if added - window <= s["t"] < added]
    rows.append({"run": run, "add": analyse(samples, added, added_done, "n4", True, baseline),
                 "remove": analyse(samples, removed, removed_done, "n2", False, baseline)})
for r in rows:
    a, m = r["add"], r["remove"]
    print(f"run {r['run']}: add n4: up after {a['command']} s, moved {a['moved']}, covered after {a['covered']} s, "
          f"lost {a['lost']} (baseline {a['baseline']}); remove n2: exited after {m['command']} s, moved {m['moved']}, "
          f"covered after {m['covered']} s, lost {m['lost']} (baseline {m['baseline']})")
print(f"\nRun on {datetime.date.today()}, {runs} runs, medians:\n")
print(f"| change | the command took (s) | neurons moved | every miner answers again after (s) | queries lost in {window:g} s "
      f"| baseline: lost in the {window:g} s before add-node |")
print("|---|---|---|---|---|---|")
for change, key in (("add a node (testnet add-node)", "add"), ("remove a node gracefully (testnet remove-node n2)", "remove")):
    med = lambda f: statistics.median(r[key][f] for r in rows)
    print(f"| {change} | {med('command'):g} | {med('moved'):g} | {med('covered'):g} | {med('lost'):g} | {med('baseline'):g} |")
PY
