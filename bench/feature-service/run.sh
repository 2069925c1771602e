#!/usr/bin/env bash
# feature-service throughput benchmark: starts its own devstack (Kafka + PostgreSQL on spare ports),
# writes EVENTS canonical events twice (two topics), measures a plain KafkaConsumer loop on the first,
# then the packaged feature-service consuming each topic from the start: coalesced (default config)
# and per-event publishing. Stops everything it started. Not part of ./mvnw verify.
# Needs: devstack/target/{classes,lib} and feature-service/target/quarkus-app
#   (./mvnw verify -pl feature-service, or ./mvnw -DskipTests package -pl devstack,feature-service).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
KAFKA_PORT="${KAFKA_PORT:-19093}"
PG_PORT="${PG_PORT:-55533}"
HTTP_PORT="${HTTP_PORT:-18082}"
EVENTS="${EVENTS:-100000}"
SUBSCRIBERS="${SUBSCRIBERS:-5000}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
WORK="$(mktemp -d)"
CP="$ROOT/devstack/target/classes:$ROOT/devstack/target/lib/*"
BENCH="$ROOT/bench/feature-service/FeatureBench.java"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

"$JAVA" -Xmx768m -cp "$CP" io.cohort.devstack.DevStackMain --kafka-port "$KAFKA_PORT" \
  --postgres-port "$PG_PORT" --ready-file "$WORK/ready" >"$WORK/devstack.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 240); do [ -f "$WORK/ready" ] && break; sleep 0.5; done
[ -f "$WORK/ready" ] || { tail -20 "$WORK/devstack.log"; echo "devstack not ready"; exit 1; }

for t in a b; do
  "$JAVA" -Xmx512m -cp "$CP" "$BENCH" produce --kafka "localhost:$KAFKA_PORT" --topic "bench.events.$t" \
    --prefix "$t" --events "$EVENTS" --subscribers "$SUBSCRIBERS"
done
"$JAVA" -Xmx512m -cp "$CP" "$BENCH" raw --kafka "localhost:$KAFKA_PORT" --topic bench.events.a --events "$EVENTS"

run_service() { # topic, coalesce
  echo "--- feature-service on $1, coalescing $2"
  "$JAVA" -Xmx768m -Dquarkus.http.port="$HTTP_PORT" -Dkafka.bootstrap.servers="localhost:$KAFKA_PORT" \
    -Dquarkus.datasource.jdbc.url="jdbc:postgresql://localhost:$PG_PORT/cohort" \
    -Dmp.messaging.incoming.events-in.topic="$1" -Dmp.messaging.incoming.events-in.group.id="bench-$1" \
    -Dcohort.feature.coalesce.enabled="$2" -Dcohort.feature.sweep.every=off -Dquarkus.log.level=WARN \
    -jar "$ROOT/feature-service/target/quarkus-app/quarkus-run.jar" >"$WORK/feature-service-$1.log" 2>&1 &
  local pid=$!
  PIDS+=($pid)
  "$JAVA" -Xmx256m -cp "$CP" "$BENCH" applied --http "http://localhost:$HTTP_PORT" --events "$EVENTS"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
run_service bench.events.a true
run_service bench.events.b false
echo "logs: $WORK"
