#!/usr/bin/env bash
# model-service benchmark: Tribuo (as model-service uses it) vs Smile, same data, same JVM run.
# Not part of ./mvnw verify. Options go to ModelBench: --rows N --features D --k K --iterations I --epochs E
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
CP_FILE="$(mktemp)"
"$ROOT/mvnw" -q -f "$ROOT/bench/model-service/pom.xml" dependency:build-classpath -Dmdep.outputFile="$CP_FILE"
"$JAVA" -Xmx${HEAP:-8g} -cp "$(cat "$CP_FILE")" "$ROOT/bench/model-service/ModelBench.java" "$@"
rm -f "$CP_FILE"
