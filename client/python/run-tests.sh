#!/usr/bin/env bash
# Tests of the Python client against a real coordinator and workers (see tests/conftest.py).
# Needs Python 3.9+ with pip, Java 17 and Maven. Creates a virtual environment in client/python/.venv
# (or $NAS_PY_VENV), installs the package from source with its test extras, builds the launcher jar
# if missing, then runs pytest; extra arguments go to pytest (e.g. ./client/python/run-tests.sh -k cli).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="${NAS_PY_VENV:-$HERE/.venv}"
PYTHON="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
  echo "run-tests: creating virtual environment $VENV" >&2
  "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$HERE[test,plot,pandas]" >&2

JAR="$ROOT/launcher/target/nas.jar"
if [ ! -f "$JAR" ]; then
  echo "run-tests: building $JAR (mvn package -pl launcher -am)" >&2
  (cd "$ROOT" && mvn -B -q -Dstyle.color=never -DskipTests package -pl launcher -am) >&2
fi

cd "$HERE"
export PYTHONDONTWRITEBYTECODE=1
exec "$VENV/bin/python" -m pytest -p no:cacheprovider "$@"
