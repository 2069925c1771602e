#!/usr/bin/env bash
# feature-service throughput benchmark: starts its own devstack (Kafka + PostgreSQL on spare ports),
# writes EVENTS canonical events twice (two topics), measures a plain KafkaConsumer loop on the first,
# then the packaged feature-service on its PostgreSQL engine (streams.sh: the default streams engine) consuming each topic from the start: coalesced (default config)
# and per-event publishing. Stops everything it started. Not part of ./mvnw verify.
# Needs: devstack/target/{classes,lib} and feature-service/target/quarkus-app
#   (./mvnw verify -pl feature-service, or ./mvnw -DskipTests package -pl devstack,feature-service).
set -euo pipefail
KAFKA_PORT="${KAFKA_PORT:-19093}"
PG_PORT="${PG_PORT:-55533}"
HTTP_PORT="${HTTP_PORT:-18082}"
EVENTS="${EVENTS:-100000}"
SUBSCRIBERS="${SUBSCRIBERS:-5000}"
# PER_EVENT=no skips the second (coalescing off) run; SERVICE_OPTS adds JVM options to the service (e.g. JFR)
PER_EVENT="${PER_EVENT:-yes}"
SERVICE_OPTS="${SERVICE_OPTS:-}"
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
BENCH="$ROOT/bench/feature-service/FeatureBench.java"
start_devstack "$KAFKA_PORT" "$PG_PORT"

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
  start_service "feature-service-$1" "$HTTP_PORT" "$ROOT/feature-service/target/quarkus-app/quarkus-run.jar" \
    -Xmx768m $SERVICE_OPTS -Dkafka.bootstrap.servers="localhost:$KAFKA_PORT" \
    -Dquarkus.datasource.jdbc.url="jdbc:postgresql://localhost:$PG_PORT/cohort" \
    -Dmp.messaging.incoming.events-in.topic="$1" -Dmp.messaging.incoming.events-in.group.id="bench-$1" \
    -Dcohort.feature.coalesce.enabled="$2" -Dcohort.feature.sweep.every=off -Dcohort.feature.backlog.every=500ms \
    -Dcohort.feature.engine=postgres
  local pid=$SERVICE_PID
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
