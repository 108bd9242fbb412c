#!/usr/bin/env bash
# One run of the query-path benchmark of BENCHMARKS.md, all on loopback, one case at a time:
#   (a) Aeron's own ping-pong samples (io.aeron.samples.Ping / Pong, unmodified) over UDP (two processes, each
#       with its own embedded driver) and IPC (one standalone driver); their drivers run in shared mode with a
#       Cortex node's idle strategy, but the samples' polling loops busy-spin by design;
#   (a') raw Aeron ping-pong (RawPingPong: the samples' loop with nothing of Cortex on the way) with a
#       Cortex node's driver and idle settings for every thread: UDP across two processes, IPC in one;
#   (b) the Cortex query path, authenticated: one node querying itself (IPC) and two nodes (UDP);
#   (c) a Pekko gRPC unary call (HTTP/2, plaintext) carrying the same task, two processes.
# Each client measures round trips one at a time after a warm-up (p50, p99, sequential rate) and then, but
# for Aeron's samples, keeps 32 calls in flight for 10 s (throughput). Environment: COUNT and WARMUP
# (default 100000 each; gRPC and the samples over UDP, whose round trips take milliseconds, use a fifth).
# Takes about 6 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/target/query-bench
mkdir -p "$out"
rm -f "$out"/*.txt

mvn -B -q -DskipTests -pl bench -am package
jar=bench/target/benchmarks.jar
COUNT=${COUNT:-100000}
WARMUP=${WARMUP:-100000}
SLOW_COUNT=$((COUNT / 5))
SLOW_WARMUP=$((WARMUP / 5))
IDLE=io.cortex.protocol.aeron.CortexBackoffIdleStrategy
MSG=248 # a Cortex request frame: 112-byte header + 136-byte compute task
JAVA=(java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -Xmx1g -cp "$jar")
# Aeron's samples from aeron-all, with the Cortex idle strategy class next to them
SAMPLES=(java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -Xmx1g -cp "bench/target/aeron-all.jar:$jar")

source bench/lib.sh
trap 'stop_all; rm -rf /dev/shm/qbench-*' EXIT

aeron=(-Daeron.threading.mode=SHARED -Daeron.shared.idle.strategy=$IDLE -Daeron.sample.idleStrategy=$IDLE
  -Daeron.sample.messageLength=$MSG -Daeron.sample.warmup.iterations=1
  -Daeron.dir.delete.on.start=true -Daeron.dir.delete.on.shutdown=true)
bench=(-Dbench.count=$COUNT -Dbench.warmup=$WARMUP -Dbench.inFlight=32 -Dbench.seconds=10)
slow=(-Dbench.count=$SLOW_COUNT -Dbench.warmup=$SLOW_WARMUP -Dbench.inFlight=32 -Dbench.seconds=10)

echo "(a) Aeron's ping-pong sample, UDP" >&2
ping_port=$(free_port); pong_port=$(free_port)
udp=("-Daeron.sample.ping.channel=aeron:udp?endpoint=127.0.0.1:$ping_port"
  "-Daeron.sample.pong.channel=aeron:udp?endpoint=127.0.0.1:$pong_port" -Daeron.sample.embeddedMediaDriver=true
  -Daeron.sample.messages=$SLOW_COUNT -Daeron.sample.warmup.messages=$SLOW_WARMUP)
"${SAMPLES[@]}" "${aeron[@]}" "${udp[@]}" -Daeron.dir=/dev/shm/qbench-pong io.aeron.samples.Pong \
  >"$out/aeron-pong-udp.txt" 2>&1 & pids+=($!)
sleep 2
echo n | "${SAMPLES[@]}" "${aeron[@]}" "${udp[@]}" -Daeron.dir=/dev/shm/qbench-ping io.aeron.samples.Ping \
  >"$out/aeron-udp.txt" 2>&1
stop_all

echo "(a) Aeron's ping-pong sample, IPC" >&2
ipc=(-Daeron.sample.ping.channel=aeron:ipc -Daeron.sample.pong.channel=aeron:ipc -Daeron.sample.embeddedMediaDriver=false
  -Daeron.dir=/dev/shm/qbench-ipc -Daeron.sample.messages=$COUNT -Daeron.sample.warmup.messages=$WARMUP)
"${SAMPLES[@]}" "${aeron[@]}" "${ipc[@]}" io.aeron.driver.MediaDriver >"$out/aeron-driver-ipc.txt" 2>&1 & pids+=($!)
sleep 2
"${SAMPLES[@]}" "${aeron[@]}" "${ipc[@]}" io.aeron.samples.Pong >"$out/aeron-pong-ipc.txt" 2>&1 & pids+=($!)
sleep 2
echo n | "${SAMPLES[@]}" "${aeron[@]}" "${ipc[@]}" io.aeron.samples.Ping >"$out/aeron-ipc.txt" 2>&1
stop_all

echo "(a') raw Aeron ping-pong, UDP" >&2
raw_aeron_udp

echo "(a') raw Aeron ping-pong, IPC" >&2
"${JAVA[@]}" "${bench[@]}" io.cortex.bench.query.RawPingPong ipc | tee "$out/raw-ipc.txt" >&2

echo "(b) Cortex query path, one node (IPC)" >&2
"${JAVA[@]}" "${bench[@]}" io.cortex.bench.query.QueryBench cortex-ipc | tee "$out/cortex-ipc.txt" >&2

echo "(b) Cortex query path, two nodes (UDP)" >&2
axon_port=$(free_port)
"${JAVA[@]}" io.cortex.bench.query.QueryBench cortex-serve "$axon_port" >"$out/cortex-serve.txt" 2>&1 & pids+=($!)
sleep 3
"${JAVA[@]}" "${bench[@]}" io.cortex.bench.query.QueryBench cortex-query "$axon_port" | tee "$out/cortex-udp.txt" >&2
stop_all

echo "(c) Pekko gRPC unary" >&2
grpc_unary "${slow[@]}"

python3 - "$out" <<'PY'
import re, sys
out = sys.argv[1]

def sample(name):
    """p50, p99 and mean (µs) from an Aeron sample's HdrHistogram percentile table."""
    rows, mean = [], None
    for line in open(f"{out}/{name}.txt"):
        m = re.match(r"\s*([\d.]+)\s+([\d.]+)\s+(\d+)\s+[\d.]+", line)
        if m:
            rows.append((float(m.group(2)), float(m.group(1))))
        m = re.search(r"Mean\s*=\s*([\d.]+)", line)
        if m:
            mean = float(m.group(1))
    at = lambda q: next(v for p, v in rows if p >= q)
    return {"p50_us": at(0.5), "p99_us": at(0.99), "mean_us": mean, "seq_qps": 1e6 / mean, "conc_qps": None}

def result(name):
    for line in open(f"{out}/{name}.txt"):
        if line.startswith("RESULT"):
            return {k: float(v) for k, v in (f.split("=") for f in line.split()[2:])}
    raise SystemExit(f"no RESULT in {name}.txt")

r = {"(a) Aeron sample (spinning clients), UDP": sample("aeron-udp"),
     "(a) Aeron sample (spinning clients), IPC": sample("aeron-ipc"),
     "(a') raw Aeron ping-pong, UDP": result("raw-udp"),
     "(a') raw Aeron ping-pong, IPC": result("raw-ipc"),
     "(b) Cortex query, two nodes (UDP)": result("cortex-udp"),
     "(b) Cortex query, one node (IPC)": result("cortex-ipc"),
     "(c) Pekko gRPC unary, two processes": result("grpc")}
fmt = lambda v: "-" if v is None else f"{v:,.0f}"
print("\n| path | p50 (µs) | p99 (µs) | mean (µs) | one at a time (calls/s) | 32 in flight (calls/s) |")
print("|---|---|---|---|---|---|")
for k, v in r.items():
    print(f"| {k} | {v['p50_us']:.1f} | {v['p99_us']:.1f} | {v['mean_us']:.1f} | {fmt(v['seq_qps'])} | {fmt(v['conc_qps'])} |")
udp, ipc, grpc = r["(b) Cortex query, two nodes (UDP)"], r["(b) Cortex query, one node (IPC)"], r["(c) Pekko gRPC unary, two processes"]
raw_udp, raw_ipc = r["(a') raw Aeron ping-pong, UDP"], r["(a') raw Aeron ping-pong, IPC"]
print(f"\np50, Cortex / raw Aeron: UDP {udp['p50_us'] / raw_udp['p50_us']:.2f}x, IPC {ipc['p50_us'] / raw_ipc['p50_us']:.1f}x; "
      f"Cortex UDP / Aeron sample UDP {udp['p50_us'] / r['(a) Aeron sample (spinning clients), UDP']['p50_us']:.3f}x")
print(f"gRPC / Cortex UDP: p50 {grpc['p50_us'] / udp['p50_us']:.1f}x slower; "
      f"throughput, 32 in flight: Cortex UDP {udp['conc_qps'] / grpc['conc_qps']:.0f}x gRPC, Cortex IPC {ipc['conc_qps'] / grpc['conc_qps']:.0f}x gRPC")
PY
