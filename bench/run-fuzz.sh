#!/usr/bin/env bash
# The benchmark-length fuzz run of BENCHMARKS.md: FRAMES (default 1,000,000) random and mutated frames at a
# live axon over loopback UDP (io.cortex.bench.fuzz.FuzzBench), checked every 100,000 frames: all read, each
# with exactly one outcome, none reaching the model; then a real query is served. SEED picks the frames.
# The suite runs the same harness, 20,000 frames long (protocol FrameFuzzTest). Takes about 2 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests -pl bench -am package
java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -Xmx1g -Dbench.frames="${FRAMES:-1000000}" \
  -Dbench.seed="${SEED:-2026}" -cp bench/target/benchmarks.jar io.cortex.bench.fuzz.FuzzBench
