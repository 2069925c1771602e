#!/usr/bin/env bash
# segment-service benchmark: starts its own devstack (Kafka + PostgreSQL on spare ports) and the
# packaged segment-service on its PostgreSQL engine (streams.sh: the default streams engine), runs SegmentBench, stops both. Not part of ./mvnw verify.
# Needs: devstack/target/{classes,lib} and segment-service/target/quarkus-app (built by
#   ./mvnw verify -pl devstack,segment-service   or   ./mvnw -DskipTests package -pl devstack,segment-service).
# Options are passed to SegmentBench: --subscribers N --rates R1,R2 --seconds S --connections C (pipelined keep-alive connections, default 8)
set -euo pipefail
KAFKA_PORT="${KAFKA_PORT:-19092}"
PG_PORT="${PG_PORT:-55532}"
HTTP_PORT="${HTTP_PORT:-18084}"
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

start_devstack "$KAFKA_PORT" "$PG_PORT"
# every segment-service call of the bench carries a bearer token, as in production (issue 17)
TOKEN="$(bearer_token marketer)"
start_service segment-service "$HTTP_PORT" "$ROOT/segment-service/target/quarkus-app/quarkus-run.jar" -Xmx512m \
  -Dkafka.bootstrap.servers="localhost:$KAFKA_PORT" -Dquarkus.datasource.jdbc.url="jdbc:postgresql://localhost:$PG_PORT/cohort" \
  -Dsegment.sweep.interval=off -Dcohort.segment.engine=postgres -Dmp.messaging.incoming.features-in.enabled=true \
  -Dmp.messaging.incoming.scores-in.enabled=true
await_ready segment-service "$HTTP_PORT"

"$JAVA" -Xmx512m -cp "$CP" "$ROOT/bench/segment-service/SegmentBench.java" \
  --http "http://localhost:$HTTP_PORT" --kafka "localhost:$KAFKA_PORT" --token "$TOKEN" "$@"
echo "logs: $WORK"
