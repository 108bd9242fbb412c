#!/usr/bin/env bash
# One run of the persisted-blocks benchmark of BENCHMARKS.md: the ledger producing blocks back to back
# into its journal — the in-memory journal (baseline), an embedded H2 file, PostgreSQL on 127.0.0.1
# (prepared by .ci/postgres) — empty blocks and blocks of ~100 transfers. About 3 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
.ci/postgres || true
mvn -B -q -DskipTests -pl bench -am package
java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -Xmx2g -cp bench/target/benchmarks.jar \
  io.cortex.bench.ledger.PersistBench "${SECONDS_PER_CASE:-15}" memory h2 postgres
