#!/usr/bin/env bash
# Starts a coordinator, N workers and Prometheus on loopback, for a person to look at; Ctrl-C stops all.
#
#   deploy/local/run-local.sh [WORKERS]        (default 2)
#
# Ports: coordinator gRPC 7070 and metrics 9464; worker i metrics 9464+i; Prometheus 9090
# (override with NAS_GRPC_PORT, NAS_METRICS_PORT, PROMETHEUS_PORT). Prometheus comes from PATH
# (Debian: apt-get install prometheus); without it only the nas processes start. When grafana-server
# is on PATH, Grafana starts too on 3000 with the data source and the dashboards provisioned.
# Logs and Prometheus data go to .nas/local/. Then run a search, e.g.
#   ./nas search create --space nb201 --budget 20000 --watch
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORKERS="${1:-2}"
GRPC_PORT="${NAS_GRPC_PORT:-7070}"
METRICS_PORT="${NAS_METRICS_PORT:-9464}"
PROM_PORT="${PROMETHEUS_PORT:-9090}"
STATE="$ROOT/.nas/local"
mkdir -p "$STATE"

PIDS=()
stop() {
  trap - INT TERM EXIT
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

# Build once up front so the processes below start at once.
"$ROOT/nas" --version >/dev/null

NAS_SKIP_BUILD=1 "$ROOT/nas" coordinator --port "$GRPC_PORT" --metrics-port "$METRICS_PORT" >"$STATE/coordinator.log" 2>&1 &
PIDS+=($!)
TARGETS=""
for i in $(seq 1 "$WORKERS"); do
  port=$((METRICS_PORT + i))
  NAS_SKIP_BUILD=1 "$ROOT/nas" worker --coordinator "127.0.0.1:$GRPC_PORT" --id "local-worker-$i" \
    --metrics-port "$port" >"$STATE/worker-$i.log" 2>&1 &
  PIDS+=($!)
  TARGETS="$TARGETS${TARGETS:+, }\"127.0.0.1:$port\""
done

cat >"$STATE/prometheus.yml" <<YAML
global:
  scrape_interval: 5s
  evaluation_interval: 15s
rule_files:
  - $ROOT/deploy/prometheus/rules.yml
scrape_configs:
  - job_name: nas-coordinator
    static_configs:
      - targets: ["127.0.0.1:$METRICS_PORT"]
  - job_name: nas-worker
    static_configs:
      - targets: [$TARGETS]
YAML

echo "coordinator: grpc 127.0.0.1:$GRPC_PORT, metrics http://127.0.0.1:$METRICS_PORT/metrics"
echo "workers:     $WORKERS, metrics on ports $((METRICS_PORT + 1))..$((METRICS_PORT + WORKERS))"
if command -v prometheus >/dev/null; then
  prometheus --config.file="$STATE/prometheus.yml" --storage.tsdb.path="$STATE/prometheus-data" \
    --web.listen-address="127.0.0.1:$PROM_PORT" >"$STATE/prometheus.log" 2>&1 &
  PIDS+=($!)
  echo "prometheus:  http://127.0.0.1:$PROM_PORT"
else
  echo "prometheus:  not on PATH (apt-get install prometheus); scrape config written to $STATE/prometheus.yml"
fi
if command -v grafana-server >/dev/null; then
  GRAFANA_HOME="${GRAFANA_HOME:-/usr/share/grafana}"
  mkdir -p "$STATE/grafana"
  PROMETHEUS_URL="http://127.0.0.1:$PROM_PORT" NAS_DASHBOARDS="$ROOT/dashboards" \
    GF_PATHS_PROVISIONING="$ROOT/deploy/grafana/provisioning" GF_PATHS_DATA="$STATE/grafana" \
    GF_SERVER_HTTP_ADDR=127.0.0.1 GF_AUTH_ANONYMOUS_ENABLED=true GF_AUTH_ANONYMOUS_ORG_ROLE=Viewer \
    grafana-server --homepath "$GRAFANA_HOME" >"$STATE/grafana.log" 2>&1 &
  PIDS+=($!)
  echo "grafana:     http://127.0.0.1:3000 (dashboards in folder nas-search)"
fi
echo "logs in $STATE; Ctrl-C stops everything"
wait -n "${PIDS[@]}" || true
echo "a process exited; see the logs in $STATE" >&2
