#!/usr/bin/env bash
# Search and reindex benchmark: the HTTP service (a separate JVM, -Xmx512m) against the same queries on the same
# index in-process, and the service's reindex rate against a bare IndexWriter, in one run.
# Then the same with semantic retrieval on (hybrid ranking, -Xmx1g): the first start embeds every passage.
# Usage: bench/run.sh [passages (default 60000)]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
mvn -B -q package -DskipTests
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
CP="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
java -Xmx2g -cp "$CP" cn.legalkoi.bench.SearchBenchmark "${1:-60000}" 512m lexical
java -Xmx2g -cp "$CP" cn.legalkoi.bench.SearchBenchmark "${1:-60000}" 1g semantic
cat target/bench-report-lexical.txt target/bench-report-semantic.txt
