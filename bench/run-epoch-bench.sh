#!/usr/bin/env bash
# One run of the epoch benchmark of BENCHMARKS.md: builds the benchmarks jar, writes the three benchmark
# subnets (n = 256, 1024, 4096) as EpochInput files, times the Java epoch with JMH and the numpy peer on
# the same files, twice: over dense n x n matrices, and over the rows of the uids that have weights, bonds
# or stake (the sparse peer: only the validators' rows are non-zero, and Java's epoch is sparse). Prints
# both with their ratios. Takes about 5 minutes.
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
for n in 256 1024 4096; do
  python3 bench/numpy_epoch.py "$out/epoch-n$n.json" --repeat 30 --rows
done | tee "$out/numpy-rows.txt"

python3 - "$out" <<'PY'
import json, re, sys
out = sys.argv[1]
java, one = {}, {}
for b in json.load(open(f"{out}/jmh.json")):
    target = one if b["benchmark"].endswith("epochOneThread") else java
    target[int(b["params"]["n"])] = b["primaryMetric"]["scorePercentiles"]["50.0"]
def medians(path):
    found = {}
    for line in open(path):
        m = re.search(r"n=(\d+) \(.*\): median ([\d.]+) ms", line)
        if m:
            found[int(m.group(1))] = float(m.group(2))
    return found
dense, rows = medians(f"{out}/numpy.txt"), medians(f"{out}/numpy-rows.txt")
print("\n| n | validators | Java median (ms) | Java, one thread (ms) | numpy dense (ms) | numpy dense / Java "
      "| numpy, live rows (ms) | numpy live rows / Java |")
print("|---|---|---|---|---|---|---|---|")
for n, v in ((256, 64), (1024, 128), (4096, 256)):
    print(f"| {n} | {v} | {java[n]:.3f} | {one[n]:.3f} | {dense[n]:.1f} | {dense[n] / java[n]:.0f}x "
          f"| {rows[n]:.1f} | {rows[n] / java[n]:.1f}x |")
PY
