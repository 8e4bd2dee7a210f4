#!/usr/bin/env bash
# A huge surrogate-scored search that survives kill -9 of the coordinator, with real processes on
# loopback: a coordinator on a fresh SQLite store, WORKERS workers, a DARTS search of BUDGET candidates
# created with ./nas search create; at HALF the coordinator is killed with SIGKILL and started again on
# the same store, and the search runs to its end. Prints the coordinator's heap after a full GC before
# the kill and at the end, and the search's top candidates.
# Usage: scripts/darts-crash-resume.sh [BUDGET] [WORKERS] [ALGORITHM]
#        (defaults 100000000, 1 and regularized_evolution)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUDGET="${1:-100000000}"
WORKERS="${2:-1}"
ALGORITHM="${3:-regularized_evolution}"
HALF=$((BUDGET / 2))
PORT="${NAS_PORT:-17171}"
DIR="$(mktemp -d /tmp/nas-darts-crash.XXXXXX)"
NAS="$ROOT/nas"
export NAS_COORDINATOR="127.0.0.1:$PORT"
echo "store and logs in $DIR"

"$NAS" --help >/dev/null # build once before starting processes

start_coordinator() {
  "$NAS" coordinator --port "$PORT" --metrics-port -1 --store "sqlite:$DIR/store.db" >>"$DIR/coordinator.log" 2>&1 &
  COORDINATOR=$!
  for _ in $(seq 120); do "$NAS" spaces >/dev/null 2>&1 && return; sleep 1; done
  echo "coordinator did not start; see $DIR/coordinator.log" >&2
  exit 1
}

heap_mb() { # used heap after a full GC, of the coordinator's JVM
  local java
  java=$(pgrep -P "$COORDINATOR" java || echo "$COORDINATOR")
  jcmd "$java" GC.run >/dev/null
  jcmd "$java" GC.heap_info | awk '/used/ {for (i = 1; i <= NF; i++) if ($i == "used") {print $(i + 1); exit}}'
}

scored() { "$NAS" search get "$SEARCH" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["progress"].get("candidatesScored", "0"))'; }
state() { "$NAS" search get "$SEARCH" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])'; }

trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
start_coordinator
for i in $(seq "$WORKERS"); do
  "$NAS" worker --coordinator "127.0.0.1:$PORT" --id "w$i" --metrics-port -1 >"$DIR/worker-$i.log" 2>&1 &
done
SEARCH=$("$NAS" search create --space darts --algorithm "$ALGORITHM" --budget "$BUDGET" --batch-size 4096 --batches-in-flight 8 \
  --training-budget 200 --seed 7 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["searchId"])')
echo "search $SEARCH: $BUDGET candidates on darts"
START=$(date +%s)
until [ "$(scored)" -ge "$HALF" ]; do sleep 2; done
echo "at $(scored) candidates after $(($(date +%s) - START)) s: coordinator heap $(heap_mb) after a full GC; kill -9"
kill -9 "$(pgrep -P "$COORDINATOR" java || echo "$COORDINATOR")" "$COORDINATOR" 2>/dev/null || true
wait "$COORDINATOR" 2>/dev/null || true
start_coordinator
echo "restarted: $(state) at $(scored) candidates"
until [ "$(state)" != "SEARCH_STATE_RUNNING" ] && [ "$(state)" != "SEARCH_STATE_PENDING" ] \
  && [ "$(state)" != "SEARCH_STATE_TRAINING" ]; do
  sleep 2
  [ "$(scored)" -ge "$BUDGET" ] && break
done
sleep 2
echo "ended $(state) with $(scored) candidates after $(($(date +%s) - START)) s; coordinator heap $(heap_mb) after a full GC"
"$NAS" search results "$SEARCH" --top-k 3
