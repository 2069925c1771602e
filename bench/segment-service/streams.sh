#!/usr/bin/env bash
# segment-service's Kafka Streams engine alone: starts its own devstack (Kafka + PostgreSQL on spare
# ports) and the packaged segment-service with cohort.segment.engine=streams, runs StreamsViews
# (views evaluated per second against --segments active segments, and the raw consumer on the same
# records), stops both. Not part of ./mvnw verify.
# Needs: devstack/target/{classes,lib} and segment-service/target/quarkus-app.
# Run it under the build lock on the shared VM: flock /tmp/cohort-mvn.lock bench/segment-service/streams.sh ...
# Options are passed to StreamsViews: --subscribers N --versions V --segments S --updates open|quiet
# Environment: SERVICE_OPTS (extra JVM options for the service, e.g. a JFR recording)
set -euo pipefail
KAFKA_PORT="${KAFKA_PORT:-19092}"
PG_PORT="${PG_PORT:-55532}"
HTTP_PORT="${HTTP_PORT:-18084}"
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

start_devstack "$KAFKA_PORT" "$PG_PORT"
# segment-service's API takes bearer tokens only (issue 17)
TOKEN="$(bearer_token marketer)"
start_service segment-service "$HTTP_PORT" "$ROOT/segment-service/target/quarkus-app/quarkus-run.jar" -Xmx512m \
  -Dkafka.bootstrap.servers="localhost:$KAFKA_PORT" -Dquarkus.datasource.jdbc.url="jdbc:postgresql://localhost:$PG_PORT/cohort" \
  -Dsegment.sweep.interval=off -Dcohort.segment.engine=streams -Dmp.messaging.incoming.features-in.enabled=false \
  -Dmp.messaging.incoming.scores-in.enabled=false -Dkafka-streams.state.dir="$WORK/state" ${SERVICE_OPTS:-}
SEGMENT_PID="$SERVICE_PID"
await_ready segment-service "$HTTP_PORT"
cpu_seconds() { awk -v t="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / t}' "/proc/$1/stat"; }
cpu_before="service $(cpu_seconds "$SEGMENT_PID") s, broker $(cpu_seconds "${PIDS[0]}") s"

"$JAVA" -Xmx512m -cp "$CP" "$ROOT/bench/segment-service/StreamsViews.java" \
  --http "http://localhost:$HTTP_PORT" --kafka "localhost:$KAFKA_PORT" --token "$TOKEN" "$@"
echo "CPU used (process totals) before the bench: $cpu_before; after: service $(cpu_seconds "$SEGMENT_PID") s, broker (devstack JVM) $(cpu_seconds "${PIDS[0]}") s"
echo "logs: $WORK"
