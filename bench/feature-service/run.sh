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
# PER_EVENT=no skips the second (coalescing off) run; SERVICE_OPTS adds JVM options to the service (e.g. JFR)
PER_EVENT="${PER_EVENT:-yes}"
SERVICE_OPTS="${SERVICE_OPTS:-}"
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
"$JAVA" -Xmx512m -cp "$CP" "$BENCH" raw --kafka "localhost:$KAFKA_PORT" --topic bench.events.a --events "$EVENTS" \
  --warmup "${WARMUP:-0}"

# CPU seconds used so far by a process and its (waited-for) children, from /proc
cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15 + $16 + $17) / hz }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# PostgreSQL: the postmaster of the devstack (its exited backends are in its children's time) plus live backends
pg_cpu() {
  local pm total
  pm="$(pgrep -f -- "-p $PG_PORT" | while read -r p; do [ "$(cat /proc/$p/comm 2>/dev/null)" = postgres ] && echo "$p"; done | head -1)"
  [ -n "$pm" ] || { echo 0; return; }
  total="$(cpu_of "$pm")"
  for child in $(pgrep -P "$pm"); do total="$(echo "$total + $(cpu_of "$child")" | bc)"; done
  echo "$total"
}

run_service() { # topic, coalesce
  echo "--- feature-service on $1, coalescing $2"
  # shellcheck disable=SC2086
  "$JAVA" -Xmx768m $SERVICE_OPTS -Dquarkus.http.port="$HTTP_PORT" -Dkafka.bootstrap.servers="localhost:$KAFKA_PORT" \
    -Dquarkus.datasource.jdbc.url="jdbc:postgresql://localhost:$PG_PORT/cohort" \
    -Dmp.messaging.incoming.events-in.topic="$1" -Dmp.messaging.incoming.events-in.group.id="bench-$1" \
    -Dcohort.feature.coalesce.enabled="$2" -Dcohort.feature.sweep.every=off -Dcohort.feature.backlog.every=500ms -Dquarkus.log.level=WARN \
    -jar "$ROOT/feature-service/target/quarkus-app/quarkus-run.jar" >"$WORK/feature-service-$1.log" 2>&1 &
  local pid=$!
  PIDS+=($pid)
  local devstack_before pg_before
  devstack_before="$(cpu_of "${PIDS[0]}")"; pg_before="$(pg_cpu)"
  "$JAVA" -Xmx256m -cp "$CP" "$BENCH" applied --http "http://localhost:$HTTP_PORT" --events "$EVENTS" \
    --warmup "${WARMUP:-0}"
  # where the CPU went during the run (start-up included for the service; 2 cores = 2 CPU s per second)
  echo "  cpu: service $(cpu_of "$pid") s, kafka (devstack JVM) $(echo "$(cpu_of "${PIDS[0]}") - $devstack_before" | bc) s, postgres $(echo "$(pg_cpu) - $pg_before" | bc) s"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
run_service bench.events.a true
if [ "$PER_EVENT" = yes ]; then run_service bench.events.b false; fi
echo "logs: $WORK"
