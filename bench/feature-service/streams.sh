#!/usr/bin/env bash
# feature-service's Kafka Streams engine alone: starts its own devstack (Kafka + PostgreSQL on spare
# ports), writes EVENTS canonical events to cohort.events.v1, times a plain KafkaConsumer loop on them
# (the raw tool, same records), then the packaged feature-service with cohort.feature.engine=streams
# folding them from the start, and stops everything. Not part of ./mvnw verify.
# Needs: devstack/target/{classes,lib} and feature-service/target/quarkus-app.
# Run it under the build lock on the shared VM: flock /tmp/cohort-mvn.lock bench/feature-service/streams.sh
# Environment: EVENTS, SUBSCRIBERS, WARMUP (events left out of the timing), HISTORY=off (the SmallRye
# consumer that writes the PostgreSQL history is disabled, so only the streams engine runs),
# SERVICE_OPTS (extra JVM options for the service, e.g. a JFR recording)
set -euo pipefail
KAFKA_PORT="${KAFKA_PORT:-19094}"
PG_PORT="${PG_PORT:-55534}"
HTTP_PORT="${HTTP_PORT:-18083}"
EVENTS="${EVENTS:-200000}"
SUBSCRIBERS="${SUBSCRIBERS:-20000}"
WARMUP="${WARMUP:-20000}"
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
BENCH="$ROOT/bench/feature-service/FeatureBench.java"
start_devstack "$KAFKA_PORT" "$PG_PORT"

"$JAVA" -Xmx512m -cp "$CP" "$BENCH" produce --kafka "localhost:$KAFKA_PORT" --topic cohort.events.v1 \
  --prefix s --events "$EVENTS" --subscribers "$SUBSCRIBERS"
"$JAVA" -Xmx512m -cp "$CP" "$BENCH" raw --kafka "localhost:$KAFKA_PORT" --topic cohort.events.v1 --events "$EVENTS" \
  --warmup "$WARMUP"

history=()
if [ "${HISTORY:-on}" = off ]; then history=(-Dmp.messaging.incoming.events-in.enabled=false); fi
cpu_seconds() { awk -v t="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / t}' "/proc/$1/stat"; }
broker_before="$(cpu_seconds "${PIDS[0]}")"
# shellcheck disable=SC2086
start_service feature-service "$HTTP_PORT" "$ROOT/feature-service/target/quarkus-app/quarkus-run.jar" -Xmx768m \
  -Dkafka.bootstrap.servers="localhost:$KAFKA_PORT" -Dquarkus.datasource.jdbc.url="jdbc:postgresql://localhost:$PG_PORT/cohort" \
  -Dcohort.feature.engine=streams -Dcohort.feature.sweep.every=off -Dkafka-streams.state.dir="$WORK/state" \
  "${history[@]}" ${SERVICE_OPTS:-}
FEATURE_PID="$SERVICE_PID"
"$JAVA" -Xmx256m -cp "$CP" "$BENCH" streamed --http "http://localhost:$HTTP_PORT" --events "$EVENTS" --warmup "$WARMUP"
echo "CPU used (process totals, start-up included): service $(cpu_seconds "$FEATURE_PID") s, broker (devstack JVM) $(echo "$(cpu_seconds "${PIDS[0]}") - $broker_before" | bc) s"
# where the service's CPU went, per thread (pool threads summed under one name)
for task in /proc/"$FEATURE_PID"/task/*; do
  printf '%s\t%s\n' "$(tr -d '\n' < "$task/comm" | sed 's/[-#]*[0-9]*$//')" "$(awk '{print $14 + $15}' "$task/stat")"
done | awk -F'\t' -v t="$(getconf CLK_TCK)" '{cpu[$1] += $2} END {for (n in cpu) if (cpu[n] / t >= 0.5) printf "  thread %-24s %6.1f s\n", n, cpu[n] / t}' | sort -k3 -rn
echo "logs: $WORK"
