#!/usr/bin/env bash
# The 32,768-uid epoch of BENCHMARKS.md: builds the benchmarks jar, writes the large benchmark subnet
# (256 validators weighting every other uid) with the kappa median and with mean consensus as EpochInput
# files, times the Java epoch on both with JMH and the numpy peer on the same files twice: over the validator
# rows only, and dense n x n, 512 columns at a time (a whole n x n float64 matrix is 8.6 GB, and the epoch
# holds several); the blocked epoch is first checked against the whole-matrix one at n = 4,096. Prints all
# three with the ratios. Takes about 15 minutes and 8 GB.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/target/large-epoch-bench
mkdir -p "$out"

mvn -B -q -DskipTests -pl bench -am package
java -Xmx4g -cp bench/target/benchmarks.jar io.cortex.bench.epoch.BenchSubnet "$out" --large >/dev/null
java -Xmx4g -cp bench/target/benchmarks.jar io.cortex.bench.epoch.BenchSubnet "$out" >/dev/null
python3 bench/numpy_epoch.py "$out/epoch-n4096.json" --verify-blocks 512

java -jar bench/target/benchmarks.jar 'io.cortex.bench.epoch.LargeEpochBenchmark' -rf json -rff "$out/jmh.json" \
  | tee "$out/jmh.txt" | grep -E '^(Benchmark|LargeEpochBenchmark.epoch(:p0.50| ))' || true

for c in median mean; do
  python3 bench/numpy_epoch.py "$out/epoch-n32768-$c.json" --repeat 10 --rows
  python3 bench/numpy_epoch.py "$out/epoch-n32768-$c.json" --repeat 3 --blocks 512
done | tee "$out/numpy.txt"

python3 - "$out" <<'PY'
import json, re, sys
out = sys.argv[1]
java = {b["params"]["consensus"]: b["primaryMetric"]["scorePercentiles"]["50.0"] for b in json.load(open(f"{out}/jmh.json"))}
rows, dense = {}, {}
for line in open(f"{out}/numpy.txt"):
    m = re.search(r"\((.+), (\w+) consensus\): median ([\d.]+) ms", line)
    if m:
        (dense if m.group(1).startswith("dense") else rows)[m.group(2)] = float(m.group(3))
print("\n| n | validators | consensus | Java median (ms) | numpy, validator rows (ms) | numpy rows / Java | numpy dense (ms) | numpy dense / Java |")
print("|---|---|---|---|---|---|---|---|")
for c in ("median", "mean"):
    print(f"| 32768 | 256 | {c} | {java[c]:.1f} | {rows[c]:.1f} | {rows[c] / java[c]:.1f}x | {dense[c]:.0f} | {dense[c] / java[c]:.0f}x |")
PY
