#!/usr/bin/env bash
# WeCom webhook benchmark: 64 senders posting encrypted, signed callbacks to the service (in-process, with a fake
# WeCom on loopback that accepts the replies), against the same server's /health and the same questions asked
# in-process, in one run; lexical mode, then semantic. Reports in target/bench-report-wecom-<mode>.txt.
# Usage: bench/wecom.sh [measured seconds (default 20)] [modes (default "lexical semantic semantic-new")]
# semantic-new keeps no recent questions' vectors (search.semantic.recentQuestions=0): every message is embedded,
# as a stream of questions never asked before would be. BENCH_WARMUP sets the warm-up seconds (default 30: the JIT
# is still compiling the hot paths well after 5 s on two busy cores).
# PASSIVE_MS=0 answers every message through message/send instead of the passive reply (default 2000 ms budget).
# Set JFR=1 to record a JFR profile per mode to target/bench-wecom-<mode>.jfr.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
CP="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
for mode in ${2:-lexical semantic semantic-new}; do
  jfr=(); [ "${JFR:-0}" = 1 ] && jfr=("-XX:StartFlightRecording=filename=target/bench-wecom-$mode.jfr,settings=profile")
  # the JVM options of deploy/legal-koi.service
  java -Xms512m -Xmx2g -XX:+UseParallelGC "${jfr[@]}" -cp "$CP" cn.legalkoi.bench.WeComBenchmark "$mode" "${1:-20}" ${PASSIVE_MS:+"$PASSIVE_MS"}
done
for mode in ${2:-lexical semantic semantic-new}; do cat "target/bench-report-wecom-$mode.txt"; done
