#!/usr/bin/env bash
# model-service's feature consumer alone: starts its own devstack (Kafka + PostgreSQL on spare ports),
# writes SUBSCRIBERS vectors (version 1) to cohort.features.v1, starts the packaged model-service and
# waits until it has stored them (warm-up, JIT); with MODEL=on trains a behavioural clustering so every
# vector is scored and its score published; then writes ROUNDS newer versions of every subscriber and
# times the consumer taking them. Prints records/s and the CPU per record of model-service, PostgreSQL
# (postmaster and backends) and the broker over the timed part. Not part of ./mvnw verify.
# Needs: devstack/target/{classes,lib} and model-service/target/quarkus-app (or JAR=<quarkus-run.jar>).
# Run it under the build lock on the shared VM: flock /tmp/cohort-mvn.lock bench/model-service/scoring.sh
set -euo pipefail
KAFKA_PORT="${KAFKA_PORT:-19095}"
PG_PORT="${PG_PORT:-55535}"
HTTP_PORT="${HTTP_PORT:-18093}"
SUBSCRIBERS="${SUBSCRIBERS:-20000}"
ROUNDS="${ROUNDS:-5}"
MODEL="${MODEL:-off}"
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
JAR="${JAR:-$ROOT/model-service/target/quarkus-app/quarkus-run.jar}"
BENCH="$ROOT/bench/model-service/ScoringBench.java"
start_devstack "$KAFKA_PORT" "$PG_PORT"
PG_PID="$(pgrep -f -- "-p $PG_PORT" | while read -r p; do [ "$(cat /proc/"$p"/comm 2>/dev/null)" = postgres ] && echo "$p"; done | head -1 || true)"
# CPU seconds of a process and its live descendants, plus the children it has waited for
tree_cpu() {
  local total=0 pid
  for pid in $1 $(pgrep -P "$1" || true); do
    total=$((total + $(awk '{print $14 + $15 + $16 + $17}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

"$JAVA" -Xmx256m -cp "$CP" "$BENCH" produce --kafka "localhost:$KAFKA_PORT" --subscribers "$SUBSCRIBERS" \
  --rounds 1 --first-version 1
start_service model-service "$HTTP_PORT" "$JAR" -Xmx768m -Dkafka.bootstrap.servers="localhost:$KAFKA_PORT" \
  -Dquarkus.datasource.jdbc.url="jdbc:postgresql://localhost:$PG_PORT/cohort" -Dcohort.model.monitoring.every=off \
  -Dcohort.model.retrain.cron=off
MODEL_PID="$SERVICE_PID"
await_ready model-service "$HTTP_PORT"
"$JAVA" -Xmx256m -cp "$CP" "$BENCH" applied --http "http://localhost:$HTTP_PORT" --until "$SUBSCRIBERS"
if [ "$MODEL" = on ]; then
  TOKEN=$(curl -fs "$ISSUER/token" -d grant_type=password -d username=operator -d password=operator \
    | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
  curl -fs -o /dev/null -w 'trained clustering: HTTP %{http_code}\n' -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' -d '{"k":4}' \
    "http://localhost:$HTTP_PORT/v1/models/clustering.behavioural/versions:train"
fi
sleep 2
tick=$(getconf CLK_TCK)
model_before=$(tree_cpu "$MODEL_PID"); pg_before=$(tree_cpu "${PG_PID:-1}"); broker_before=$(tree_cpu "${PIDS[0]}")
"$JAVA" -Xmx256m -cp "$CP" "$BENCH" timed --kafka "localhost:$KAFKA_PORT" --http "http://localhost:$HTTP_PORT" \
  --subscribers "$SUBSCRIBERS" --rounds "$ROUNDS" --first-version 2
records=$((SUBSCRIBERS * ROUNDS))
per_record() { echo "scale=1; ($2 - $1) * 1000000 / $tick / $records" | bc; }
echo "CPU µs per record (timed part; the broker figure includes the producer): model-service $(per_record "$model_before" "$(tree_cpu "$MODEL_PID")"), PostgreSQL $(per_record "$pg_before" "$(tree_cpu "${PG_PID:-1}")"), broker+devstack $(per_record "$broker_before" "$(tree_cpu "${PIDS[0]}")")"
curl -fs "http://localhost:$HTTP_PORT/q/metrics" | grep -E '^cohort_model_(features_total|scores_total|features_poll_records_(count|sum))' || true
echo "logs: $WORK"
