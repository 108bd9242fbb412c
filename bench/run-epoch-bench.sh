#!/usr/bin/env bash
# One run of the epoch benchmark of BENCHMARKS.md: builds the benchmarks jar, writes the three benchmark
# subnets (n = 256, 1024, 4096) as EpochInput files, times the Java epoch with JMH and the numpy peer on
# the same files, and prints both with their ratio. Takes about 4 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/target/epoch-bench
mkdir -p "$out"

mvn -B -q -DskipTests -pl bench -am package
java -cp bench/target/benchmarks.jar io.cortex.bench.epoch.BenchSubnet "$out" >/dev/null

java -jar bench/target/benchmarks.jar 'io.cortex.bench.epoch.EpochBenchmark' -rf json -rff "$out/jmh.json" \
  | tee "$out/jmh.txt" | grep -E '^(Benchmark|EpochBenchmark.epoch(OneThread)?(:p0.50| ))' || true

for n in 256 1024 4096; do
  python3 bench/numpy_epoch.py "$out/epoch-n$n.json" --repeat 30
done | tee "$out/numpy.txt"

python3 - "$out" <<'PY'
import json, re, sys
out = sys.argv[1]
java, one = {}, {}
for b in json.load(open(f"{out}/jmh.json")):
    target = one if b["benchmark"].endswith("epochOneThread") else java
    target[int(b["params"]["n"])] = b["primaryMetric"]["scorePercentiles"]["50.0"]
numpy = {}
for line in open(f"{out}/numpy.txt"):
    m = re.search(r"n=(\d+): median ([\d.]+) ms", line)
    if m:
        numpy[int(m.group(1))] = float(m.group(2))
print("\n| n | validators | Java median (ms) | Java, one thread (ms) | numpy median (ms) | numpy / Java |")
print("|---|---|---|---|---|---|")
for n, v in ((256, 64), (1024, 128), (4096, 256)):
    print(f"| {n} | {v} | {java[n]:.3f} | {one[n]:.3f} | {numpy[n]:.1f} | {numpy[n] / java[n]:.0f}x |")
PY
