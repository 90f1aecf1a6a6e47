#!/usr/bin/env bash
# Search and reindex benchmark: the HTTP service (a separate JVM, -Xmx512m) against the same queries on the same
# index in-process, and the service's reindex rate against a bare IndexWriter, in one run.
# Usage: bench/run.sh [passages (default 60000)] [server heap (default 512m)]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
mvn -B -q package -DskipTests
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  cn.legalkoi.bench.SearchBenchmark "${1:-60000}" "${2:-512m}"
