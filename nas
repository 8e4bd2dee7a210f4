#!/usr/bin/env bash
# The one entry point for people: ./nas <command> --help. Builds the jar on first use or when sources
# changed, then runs it. Build output goes to stderr so stdout stays clean for --json.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JAR="$ROOT/launcher/target/nas.jar"
STATE="$ROOT/.nas"
STAMP="$STATE/build.stamp"   # touched only after a complete build, so a half-written jar never counts

stale() {
  [ -f "$JAR" ] && [ -f "$STAMP" ] || return 0
  local newer
  newer=$(find "$ROOT/pom.xml" "$ROOT/proto" "$ROOT/coordinator" "$ROOT/worker" "$ROOT/client/java" "$ROOT/launcher" \
    -path '*/target' -prune -o -path '*/src/test' -prune -o -type f -newer "$STAMP" -print -quit 2>/dev/null)
  [ -n "$newer" ]
}

if [ "${NAS_SKIP_BUILD:-}" != "1" ] && stale; then
  # One build at a time: several ./nas started together (coordinator, workers, client) wait for the first.
  mkdir -p "$STATE"
  exec 9>"$STATE/build.lock"
  flock 9
  if stale; then
    echo "nas: building (first run or sources changed; needs Java 17 and Maven, takes a few minutes the first time)..." >&2
    if ! (cd "$ROOT" && mvn -B -q -Dstyle.color=never -DskipTests package -pl launcher -am) >&2; then
      echo "nas: build failed; run 'mvn -B -DskipTests package' in $ROOT to see why" >&2
      exit 1
    fi
    touch "$STAMP"
  fi
  exec 9>&-
fi

# Benchmark tables: ../shared/data beside the repository when present, else the bundled NB201 table.
if [ -z "${NAS_DATA_DIR:-}" ] && [ -d "$ROOT/../shared/data" ]; then
  export NAS_DATA_DIR="$ROOT/../shared/data"
fi
# Keep TensorFlow's native logging quiet unless asked otherwise.
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
# Run a private copy of the jar: a rebuild replaces launcher/target/nas.jar, which would pull classes out from
# under coordinators and workers still running from it.
RUN_JAR="$STATE/jars/nas-$(stat -c %Y "$JAR")-$(stat -c %s "$JAR").jar"
if [ ! -f "$RUN_JAR" ]; then
  mkdir -p "$STATE/jars"
  cp "$JAR" "$RUN_JAR.$$" && mv "$RUN_JAR.$$" "$RUN_JAR"
  find "$STATE/jars" -name 'nas-*.jar' ! -path "$RUN_JAR" -mmin +120 -delete 2>/dev/null || true
fi
exec java ${NAS_JAVA_OPTS:-} -jar "$RUN_JAR" "$@"
