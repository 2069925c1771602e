#!/usr/bin/env bash
# ingest-service benchmark: starts its own devstack (Kafka + PostgreSQL on spare ports) and the
# packaged ingest-service, drives POST /v1/batch with IngestBench, then runs Kafka's own
# ProducerPerformance (what kafka-producer-perf-test.sh runs) against the same broker with the same
# record size, acks=all and idempotence (as ingest-service produces), and optionally a CSV import.
# Not part of ./mvnw verify.
# Needs: devstack/target/{classes,lib} and ingest-service/target/quarkus-app (./mvnw verify -pl devstack,ingest-service)
# and the kafka-tools jar (fetched into ~/.m2 by: ./mvnw -q dependency:get -Dartifact=org.apache.kafka:kafka-tools:4.1.2 -Dtransitive=false).
# Options are passed to IngestBench: --events N --batch B --concurrency C --warmup W [--http 1.1|2]
# Environment: IMPORT_ROWS (0 skips the import), INGEST_JAVA_OPTS (e.g. a JFR recording or
# -Dcohort.ingest.events.compression=none), INGEST_APP (another build's quarkus-app directory, to
# measure a before/after pair on the same machine), RAW_PRODUCER_PROPS (extra producer settings for
# ProducerPerformance, e.g. "linger.ms=5 batch.size=131072 compression.type=lz4" = ingest-service's).
set -euo pipefail
KAFKA_PORT="${KAFKA_PORT:-29092}"
PG_PORT="${PG_PORT:-55632}"
HTTP_PORT="${HTTP_PORT:-18081}"
IMPORT_ROWS="${IMPORT_ROWS:-200000}"
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
TOOLS="${KAFKA_TOOLS_JAR:-$HOME/.m2/repository/org/apache/kafka/kafka-tools/4.1.2/kafka-tools-4.1.2.jar}"
[ -f "$TOOLS" ] || { echo "missing $TOOLS (see the header of this script)"; exit 1; }

# CPU seconds (user + system) used so far by a process and all its live descendants: shows where
# the machine's two cores go (service, Kafka, PostgreSQL, load generator) per event.
cpu_tree() {
  [ -n "$1" ] || { echo 0; return; }
  local pids=("$1") all=() tick total=0 t
  tick=$(getconf CLK_TCK)
  while [ "${#pids[@]}" -gt 0 ]; do
    local p="${pids[0]}"; pids=("${pids[@]:1}"); all+=("$p")
    for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do pids+=("$c"); done
  done
  for p in "${all[@]}"; do
    # fields 14 and 15 of /proc/PID/stat (after the command name in parentheses)
    t=$(sed 's/^.*) //' /proc/"$p"/stat 2>/dev/null | awk '{print $12 + $13}')
    total=$((total + ${t:-0}))
  done
  awk -v t="$total" -v k="$tick" 'BEGIN { printf "%.1f", t / k }'
}

start_devstack "$KAFKA_PORT" "$PG_PORT"

# INGEST_JAVA_OPTS: extra JVM options for ingest-service, e.g. a JFR recording for profiling:
#   INGEST_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/ingest.jfr,settings=profile"
# shellcheck disable=SC2086
start_service ingest-service "$HTTP_PORT" "${INGEST_APP:-$ROOT/ingest-service/target/quarkus-app}/quarkus-run.jar" \
  -Xmx512m ${INGEST_JAVA_OPTS:-} -Dkafka.bootstrap.servers="localhost:$KAFKA_PORT" \
  -Dquarkus.datasource.jdbc.url="jdbc:postgresql://localhost:$PG_PORT/cohort" \
  -Dcohort.ingest.auth.enabled=false -Dcohort.ingest.imports.dir="$WORK/imports"
await_ready ingest-service "$HTTP_PORT"

echo "== ingest-service POST /v1/batch"
SVC_PID="$SERVICE_PID"
PG_PID="$(pgrep -f "bin/postgres .*-p $PG_PORT" | head -1)"
stack_cpu() { echo "$(cpu_tree "${PIDS[0]}") + $(cpu_tree "$PG_PID")" | bc; }
SVC0=$(cpu_tree "$SVC_PID"); STACK0=$(stack_cpu); T0=$(date +%s.%N)
"$JAVA" -Xmx512m "$ROOT/bench/ingest-service/IngestBench.java" --url "http://localhost:$HTTP_PORT" \
  --size-file "$WORK/size" "$@" >"$WORK/ingest.txt" &
BENCH_PID=$!
BENCH_CPU=0
while kill -0 "$BENCH_PID" 2>/dev/null; do
  # keep the largest reading: an exited (zombie) process reads as 0
  c=$(cpu_tree "$BENCH_PID"); BENCH_CPU=$(echo "$c $BENCH_CPU" | awk '{ print ($1 > $2) ? $1 : $2 }'); sleep 1
done
wait "$BENCH_PID"
cat "$WORK/ingest.txt"
SVC1=$(cpu_tree "$SVC_PID"); STACK1=$(stack_cpu); T1=$(date +%s.%N)
awk -v s="$(echo "$SVC1 - $SVC0" | bc)" -v k="$(echo "$STACK1 - $STACK0" | bc)" -v b="$BENCH_CPU" \
  -v w="$(echo "$T1 - $T0" | bc)" 'BEGIN { printf "CPU s over %.1f s wall (warm-up + measurement): ingest-service %.1f, devstack (Kafka + PostgreSQL) %.1f, load generator >= %.1f\n", w, s, k, b }'
SIZE="$(cat "$WORK/size")"
RECORDS="$(grep -o 'measuring: [0-9]*' "$WORK/ingest.txt" | grep -o '[0-9]*')"

# the same topic ingest-service writes to (3 partitions; the devstack broker does not auto-create topics)
echo "== Kafka ProducerPerformance: $RECORDS records of $SIZE bytes to cohort.events.v1, acks=all, idempotent, same broker"
STACK0=$(stack_cpu); T0=$(date +%s.%N)
"$JAVA" -Xmx512m -cp "$TOOLS:$ROOT/devstack/target/lib/*" org.apache.kafka.tools.ProducerPerformance \
  --topic cohort.events.v1 --num-records "$RECORDS" --record-size "$SIZE" --throughput -1 \
  --producer-props "bootstrap.servers=localhost:$KAFKA_PORT" acks=all enable.idempotence=true ${RAW_PRODUCER_PROPS:-} &
PERF_PID=$!
PERF_CPU=0
while kill -0 "$PERF_PID" 2>/dev/null; do
  c=$(cpu_tree "$PERF_PID"); PERF_CPU=$(echo "$c $PERF_CPU" | awk '{ print ($1 > $2) ? $1 : $2 }'); sleep 0.5
done
wait "$PERF_PID"
STACK1=$(stack_cpu); T1=$(date +%s.%N)
awk -v k="$(echo "$STACK1 - $STACK0" | bc)" -v p="$PERF_CPU" -v w="$(echo "$T1 - $T0" | bc)" \
  'BEGIN { printf "CPU s over %.1f s wall (JVM start + run): devstack (Kafka + PostgreSQL) %.1f, ProducerPerformance >= %.1f\n", w, k, p }'

if [ "$IMPORT_ROWS" -gt 0 ]; then
  echo "== CSV import: $IMPORT_ROWS event rows"
  {
    echo "userId,event,timestamp,properties.campaign_id,properties.email_id,properties.revenue"
    awk -v n="$IMPORT_ROWS" 'BEGIN { for (i = 0; i < n; i++) printf "imp-u-%d,Email Opened,2024-05-01T10:%02d:00Z,c-%d,c-%d-%d,\n", i % 10000, i % 60, i % 7, i % 7, i }'
  } >"$WORK/import.csv"
  # imports need the scope imports:write (an operator's token), whatever the tracking key check
  TOKEN=$(bearer_token operator)
  START=$(date +%s.%N)
  ID=$(curl -fs -H "Authorization: Bearer $TOKEN" -H 'Content-Type: text/csv' --data-binary @"$WORK/import.csv" \
    "http://localhost:$HTTP_PORT/v1/imports?kind=events" | sed 's/.*"id":"\([^"]*\)".*/\1/')
  while :; do
    STATUS=$(curl -fs -H "Authorization: Bearer $TOKEN" "http://localhost:$HTTP_PORT/v1/imports/$ID")
    echo "$STATUS" | grep -q '"status":"\(completed\|failed\)"' && break
    sleep 0.2
  done
  END=$(date +%s.%N)
  echo "$STATUS" | sed 's/"errors":\[[^]]*\],//'
  awk -v s="$START" -v e="$END" -v n="$IMPORT_ROWS" 'BEGIN { printf "import rows/s (upload + processing): %.0f (%.2f s)\n", n / (e - s), e - s }'
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "logs: $WORK"
