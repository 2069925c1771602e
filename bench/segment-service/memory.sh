#!/usr/bin/env bash
# Heap cost of segment-service's in-memory read model (see ReadModelMemory.java). Not part of ./mvnw verify.
# Needs segment-service/target/classes and target/quarkus-app (./mvnw verify -pl segment-service).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
"$JAVA" -Xmx2g -XX:+UseSerialGC -cp "$ROOT/segment-service/target/classes:$ROOT/segment-service/target/quarkus-app/lib/main/*" \
  "$ROOT/bench/segment-service/ReadModelMemory.java" "$@"
