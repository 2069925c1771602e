# Shared start-up for the bench/*/run.sh scripts (sourced, not run). Each script sets its ports, then:
#   source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
#   start_devstack "$KAFKA_PORT" "$PG_PORT"
#   start_service NAME HTTP_PORT JAR [JVM options...]   (waits until /q/health/ready answers)
# Everything started through these functions is stopped when the script exits.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
WORK="$(mktemp -d)"
CP="$ROOT/devstack/target/classes:$ROOT/devstack/target/lib/*"
PIDS=()

stop_started() {
  # services first (PIDS[0] is the devstack): they close their producers and groups against a live
  # broker; one that still hangs is killed, or it would keep the build lock's descriptor (inherited)
  stop_pids "${PIDS[@]:1}"
  stop_pids "${PIDS[@]:0:1}"
}
stop_pids() {
  [ "$#" -gt 0 ] || return 0
  for pid in "$@"; do kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 60); do
    local alive=0
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.5
  done
  for pid in "$@"; do kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
}
trap stop_started EXIT

# Kafka + PostgreSQL on the given ports and the token issuer on a free one (its URL in ISSUER, handed
# to every service start_service starts); its pid is PIDS[0]
start_devstack() { # kafka port, postgres port
  "$JAVA" -Xmx768m -cp "$CP" io.cohort.devstack.DevStackMain --kafka-port "$1" \
    --postgres-port "$2" --issuer-port 0 --ready-file "$WORK/ready" >"$WORK/devstack.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 240); do
    if [ -f "$WORK/ready" ]; then ISSUER=$(sed -n 's/^issuer=//p' "$WORK/ready"); return 0; fi
    sleep 0.5
  done
  tail -20 "$WORK/devstack.log"; echo "devstack not ready"; exit 1
}

# A bearer token of the devstack's issuer for one of its development users (password = name), e.g.
# marketer, whose scopes cover every segment-service call the benches make (docs/SECURITY.md)
bearer_token() { # user
  curl -fsS "$ISSUER/token" -d grant_type=password -d "username=$1" -d "password=$1" \
    | sed -E 's/.*"access_token":"([^"]+)".*/\1/'
}

# A packaged service in the background, logging to $WORK/NAME.log; sets SERVICE_PID
start_service() { # name, http port, quarkus-run.jar, JVM options...
  local name="$1" port="$2" jar="$3"
  shift 3
  "$JAVA" "$@" ${ISSUER:+-Dcohort.security.issuer="$ISSUER"} -Dquarkus.http.port="$port" -Dquarkus.log.level=WARN \
    -jar "$jar" >"$WORK/$name.log" 2>&1 &
  SERVICE_PID=$!
  PIDS+=("$SERVICE_PID")
}

# Waits until a started service reports ready
await_ready() { # name, http port
  for _ in $(seq 1 240); do
    curl -fs "http://localhost:$2/q/health/ready" >/dev/null 2>&1 && return 0; sleep 0.5
  done
  tail -30 "$WORK/$1.log"; echo "$1 not ready"; exit 1
}
