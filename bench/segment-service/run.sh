#!/usr/bin/env bash
# segment-service benchmark: starts its own devstack (Kafka + PostgreSQL on spare ports) and the
# packaged segment-service, runs SegmentBench, stops both. Not part of ./mvnw verify.
# Needs: devstack/target/{classes,lib} and segment-service/target/quarkus-app (built by
#   ./mvnw verify -pl devstack,segment-service   or   ./mvnw -DskipTests package -pl devstack,segment-service).
# Options are passed to SegmentBench: --subscribers N --rates R1,R2 --seconds S --connections C (pipelined keep-alive connections, default 8)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
KAFKA_PORT="${KAFKA_PORT:-19092}"
PG_PORT="${PG_PORT:-55532}"
HTTP_PORT="${HTTP_PORT:-18084}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
WORK="$(mktemp -d)"
CP="$ROOT/devstack/target/classes:$ROOT/devstack/target/lib/*"
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

"$JAVA" -Xmx512m -Dquarkus.http.port="$HTTP_PORT" -Dkafka.bootstrap.servers="localhost:$KAFKA_PORT" \
  -Dquarkus.datasource.jdbc.url="jdbc:postgresql://localhost:$PG_PORT/cohort" -Dsegment.sweep.interval=off \
  -Dquarkus.log.level=WARN \
  -jar "$ROOT/segment-service/target/quarkus-app/quarkus-run.jar" >"$WORK/segment-service.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 240); do
  curl -fs "http://localhost:$HTTP_PORT/q/health/ready" >/dev/null 2>&1 && break; sleep 0.5
done
curl -fs "http://localhost:$HTTP_PORT/q/health/ready" >/dev/null || { tail -30 "$WORK/segment-service.log"; exit 1; }

"$JAVA" -Xmx512m -cp "$CP" "$ROOT/bench/segment-service/SegmentBench.java" \
  --http "http://localhost:$HTTP_PORT" --kafka "localhost:$KAFKA_PORT" "$@"
echo "logs: $WORK"
