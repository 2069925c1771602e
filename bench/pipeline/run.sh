#!/usr/bin/env bash
# End-to-end benchmark of the live path: starts its own devstack (Kafka + PostgreSQL on spare ports)
# and the four packaged services, mints a write key through ingest-service's admin API, defines
# --segments active rule segments (one of them the probe segment), then runs PipelineBench: open-loop
# load through POST /v1/batch at fixed rates while probes time a fresh subscriber's "Email Opened" to
# its entered event on cohort.segment-membership.v1 and to GET /v1/subscribers/{id}/segments.
# Stops everything it started. Not part of ./mvnw verify.
# Needs: devstack/target/{classes,lib} and the four */target/quarkus-app (built here when missing).
# Run it under the build lock on the shared VM: flock /tmp/cohort-mvn.lock bench/pipeline/run.sh ...
# Options are passed to PipelineBench: --rates R1,R2 --seconds S --warmup S --subscribers N
#   --segments N --probe-rate P --probe-timeout S --drain S --batch B --connections C
# Environment: KAFKA_PORT, PG_PORT, HTTP_BASE (services on HTTP_BASE+1..+4), SERVICE_OPTS (extra JVM
# options for every service, e.g. -Dsegment.sweep.interval=1h to keep a sweep on), ENGINE (streams,
# the default: feature- and segment-service on their Kafka Streams engines, state under the run's
# work directory; or postgres: both on their PostgreSQL engines), MODE (latency, the default: PipelineBench; burst: CampaignBurst, one
# "Email Sent" for each of --subscribers new subscribers, timed until a segment holds all of them).
set -euo pipefail
KAFKA_PORT="${KAFKA_PORT:-39092}"
PG_PORT="${PG_PORT:-55832}"
HTTP_BASE="${HTTP_BASE:-38080}"
SERVICE_OPTS="${SERVICE_OPTS:-}"
ENGINE="${ENGINE:-streams}"
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
MODULES=(ingest-service feature-service model-service segment-service)

# the segment count is needed here too (to define them); everything else goes to PipelineBench as is
SEGMENTS=50
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  [ "${args[$i]}" = --segments ] && SEGMENTS="${args[$((i + 1))]}"
done

missing=0
for m in "${MODULES[@]}"; do [ -f "$ROOT/$m/target/quarkus-app/quarkus-run.jar" ] || missing=1; done
[ -d "$ROOT/devstack/target/lib" ] && [ -d "$ROOT/devstack/target/classes" ] || missing=1
if [ "$missing" = 1 ]; then
  # no flock here: the caller holds /tmp/cohort-mvn.lock (a second flock on it would wait for ourselves)
  echo "== building the packaged services"
  (cd "$ROOT" && ./mvnw -q -DskipTests package -pl devstack,service-support,contracts,ingest-service,feature-service,model-service,segment-service -am)
fi

# which builds are measured: other work may repackage the modules between runs (or measure a
# committed tree: git archive HEAD | tar -x -C /tmp/base, package there, run /tmp/base/bench/pipeline/run.sh)
echo "builds under $ROOT:"
for m in "${MODULES[@]}"; do echo "  $m $(stat -c %y "$ROOT/$m/target/quarkus-app/app/$m-"*.jar | cut -c1-19)"; done
echo "machine before the run: load average $(cut -d' ' -f1-3 /proc/loadavg); busiest other processes:"
ps -eo pid,pcpu,etime,args --sort=-pcpu | head -6 | cut -c1-160

start_devstack "$KAFKA_PORT" "$PG_PORT"
DEVSTACK_PID="${PIDS[0]}"
# the postmaster: zonky starts it detached from the devstack JVM, so its CPU is counted on its own
PG_PID="$(pgrep -f -- "-p $PG_PORT" | while read -r p; do [ "$(cat /proc/"$p"/comm 2>/dev/null)" = postgres ] && echo "$p"; done | head -1 || true)"

# the engine switches per module (docs/FEATURES.md and docs/SEGMENTS.md, "Streams engine")
engine_opts() {
  if [ "$ENGINE" = postgres ]; then
    case "$1" in
      feature-service) echo "-Dcohort.feature.engine=postgres" ;;
      segment-service) echo "-Dcohort.segment.engine=postgres -Dmp.messaging.incoming.features-in.enabled=true" \
        "-Dmp.messaging.incoming.scores-in.enabled=true" ;;
    esac
    return 0
  fi
  case "$1" in
    feature-service) echo "-Dkafka-streams.state.dir=$WORK/state/feature" ;;
    segment-service) echo "-Dkafka-streams.state.dir=$WORK/state/segment" ;;
  esac
}
echo "engine: $ENGINE"
declare -A SERVICE_PIDS
for i in "${!MODULES[@]}"; do
  m="${MODULES[$i]}"
  # the sweeps are off as in the other benchmarks: a minutes-long run measures the live path only
  # shellcheck disable=SC2086
  start_service "$m" "$((HTTP_BASE + i + 1))" \
    "$ROOT/$m/target/quarkus-app/quarkus-run.jar" -Xmx512m \
    -Dkafka.bootstrap.servers="localhost:$KAFKA_PORT" \
    -Dquarkus.datasource.jdbc.url="jdbc:postgresql://localhost:$PG_PORT/cohort" \
    -Dcohort.ingest.imports.dir="$WORK/imports" -Dcohort.feature.sweep.every=off -Dsegment.sweep.interval=off \
    -Dcohort.model.feature-service.url="http://localhost:$((HTTP_BASE + 2))" \
    -Dcohort.model.segment-service.url="http://localhost:$((HTTP_BASE + 4))" \
    -Dcohort.segment.model-service.url="http://localhost:$((HTTP_BASE + 3))" $(engine_opts "$m") $SERVICE_OPTS
  SERVICE_PIDS[$m]="$SERVICE_PID"
done
for i in "${!MODULES[@]}"; do await_ready "${MODULES[$i]}" "$((HTTP_BASE + i + 1))"; done
INGEST="http://localhost:$((HTTP_BASE + 1))"
SEGMENT="http://localhost:$((HTTP_BASE + 4))"

# a client write key (tracking calls only), created with the scope admin (docs/SECURITY.md)
KEY="$(curl -fs -H "Authorization: Bearer $(bearer_token admin)" -H 'Content-Type: application/json' \
  -d '{"name":"pipeline-bench"}' "$INGEST/v1/admin/write-keys" | sed 's/.*"key":"\([^"]*\)".*/\1/')"

# segment-service takes bearer tokens only (issue 17): the marketer defines segments and probes lookups
TOKEN="$(bearer_token marketer)"
create_segment() { # definition JSON; prints the new segment's id
  curl -fsS -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$1" "$SEGMENT/v1/segments" \
    | sed 's/^{"id":"\([^"]*\)".*/\1/'
}
leaf() { echo "{\"feature\":\"$1\",\"op\":\"$2\",\"value\":$3}"; }

# the probe segment: a human open from the time zone only probes report from (the load never does)
PROBE_SEGMENT="$(create_segment "{\"name\":\"pipeline probe\",\"kind\":\"rule\",\"condition\":{\"all\":[$(leaf timezone eq '"Pacific/Chatham"'),$(leaf emails_opened_7d gte 1)]}}")"
# what a marketing team keeps live over engagement, commerce and browsing features, plus the templates
CONDITIONS=()
for k in 1 2 3 4 5; do CONDITIONS+=("$(leaf emails_opened_7d gte $k)"); done
for k in 1 2 3 5 8; do CONDITIONS+=("$(leaf emails_opened_30d gte $k)"); done
for k in 1 2; do CONDITIONS+=("$(leaf emails_clicked_7d gte $k)"); done
for k in 1 2 3; do CONDITIONS+=("$(leaf emails_clicked_30d gte $k)"); done
for k in 1 3 5; do CONDITIONS+=("$(leaf emails_sent_7d gte $k)"); done
for k in 1 5 10; do CONDITIONS+=("$(leaf emails_sent_30d gte $k)"); done
for k in 1 5; do CONDITIONS+=("$(leaf emails_delivered_30d gte $k)"); done
for k in 1 3 5; do CONDITIONS+=("$(leaf product_views_30d gte $k)"); done
for k in 1 5; do CONDITIONS+=("$(leaf page_views_30d gte $k)"); done
CONDITIONS+=("$(leaf pricing_page_views_30d gte 1)" "$(leaf orders_90d gte 1)" "$(leaf orders_365d gte 2)")
CONDITIONS+=("$(leaf revenue_90d gte 100)" "$(leaf revenue_90d gte 500)")
for k in 1 2 3; do CONDITIONS+=("$(leaf engaged_sends_last_5 gte $k)"); done
CONDITIONS+=("$(leaf days_since_last_open lte 7)" "$(leaf days_since_last_open lte 30)")
CONDITIONS+=("$(leaf click_to_open_30d gte 0.2)" "$(leaf mobile_share_90d gte 0.5)")
CONDITIONS+=("{\"all\":[$(leaf emails_delivered_30d gte 1),{\"not\":$(leaf emails_opened_30d gte 1)}]}")
CONDITIONS+=("{\"all\":[$(leaf emails_sent_30d gte 3),{\"not\":$(leaf emails_opened_30d gte 1)}]}")
CONDITIONS+=("{\"all\":[$(leaf emails_opened_7d gte 1),{\"not\":$(leaf emails_clicked_7d gte 1)}]}")
CONDITIONS+=("{\"all\":[$(leaf emails_clicked_30d gte 1),{\"not\":$(leaf orders_90d gte 1)}]}")
TEMPLATES=(engaged-target-account-contacts engaged-non-target-contacts dormant-high-fit-accounts decaying-customers sunset-candidates)
defined=1
for t in "${TEMPLATES[@]}"; do
  [ "$defined" -lt "$SEGMENTS" ] || break
  create_segment "{\"template\":\"$t\"}" >/dev/null; defined=$((defined + 1))
done
n=0
while [ "$defined" -lt "$SEGMENTS" ]; do
  c="${CONDITIONS[$((n % ${#CONDITIONS[@]}))]}"
  create_segment "{\"name\":\"pipeline rule $n\",\"kind\":\"rule\",\"condition\":$c}" >/dev/null
  defined=$((defined + 1)); n=$((n + 1))
done
echo "defined $defined active segments (probe segment $PROBE_SEGMENT)"

if [ "${MODE:-latency}" = burst ]; then
  "$JAVA" -Xmx768m -cp "$CP" "$ROOT/bench/pipeline/CampaignBurst.java" --ingest "$INGEST" --segment "$SEGMENT" \
    --token "$TOKEN" --kafka "localhost:$KAFKA_PORT" --key "$KEY" --engine "$ENGINE" "$@"
  echo "logs: $WORK"
  exit 0
fi
"$JAVA" -Xmx768m -cp "$CP" "$ROOT/bench/pipeline/PipelineBench.java" --ingest "$INGEST" --segment "$SEGMENT" \
  --token "$TOKEN" --kafka "localhost:$KAFKA_PORT" --key "$KEY" --probe-segment "$PROBE_SEGMENT" --clock-ticks "$(getconf CLK_TCK)" --engine "$ENGINE" \
  --pids "broker=$DEVSTACK_PID,postgres=${PG_PID:-0},ingest=${SERVICE_PIDS[ingest-service]},feature=${SERVICE_PIDS[feature-service]},model=${SERVICE_PIDS[model-service]},segment=${SERVICE_PIDS[segment-service]}" \
  "$@"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "logs: $WORK"
