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
  # Only what goes into the jar: poms and main sources (test runs leave files elsewhere in the modules).
  newer=$(find "$ROOT/pom.xml" "$ROOT"/{proto,coordinator,worker,client/java,launcher}/pom.xml \
    "$ROOT"/{proto,coordinator,worker,client/java,launcher}/src/main -type f -newer "$STAMP" -print -quit 2>/dev/null)
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
fi
# A shared lock on the copy, inherited by java, marks it in use for the process's lifetime; copies that
# nothing holds are left over from earlier builds and go.
exec 8<"$RUN_JAR"
flock -s 8
for old in "$STATE"/jars/nas-*.jar; do
  [ "$old" = "$RUN_JAR" ] || { flock -n -x 7 && rm -f "$old"; } 7<"$old" 2>/dev/null || true
done
exec java ${NAS_JAVA_OPTS:-} -jar "$RUN_JAR" "$@"
