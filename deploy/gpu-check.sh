#!/usr/bin/env bash
# GPU checks for a machine with an NVIDIA GPU (CUDA 12 / cuDNN 9): builds the `gpu` profile, shows which
# device a worker picks, and runs the throughput benchmark on the CPU and on the GPU for comparison.
# Usage: deploy/gpu-check.sh [OUT_DIR]   (default: ./gpu-check)
# It leaves launcher/target/nas.jar with GPU natives (they fall back to the CPU); `mvn -B -DskipTests package -pl launcher -am`
# builds the CPU jar again.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-gpu-check}"
mkdir -p "$OUT"
cd "$ROOT"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv | tee "$OUT/nvidia-smi.csv" || true
mvn -B -q -Pgpu -DskipTests package -pl launcher -am
JAR="$ROOT/launcher/target/nas.jar"
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
if [ -z "${NAS_DATA_DIR:-}" ] && [ -d "$ROOT/../shared/data" ]; then
  export NAS_DATA_DIR="$ROOT/../shared/data"
fi
# The worker's first line says which device it scores on; it then waits for a coordinator, so stop it after 20 s.
timeout 20 java -jar "$JAR" worker --device gpu --coordinator 127.0.0.1:1 --metrics-port -1 2>&1 | grep -m1 "scoring on" | tee "$OUT/worker-device.txt" || true
for device in cpu auto; do
  java -jar "$JAR" bench throughput --device "$device" --batch-sizes 1024,4096,16384,65536 --workers 1,2 \
    --wire codes --seconds 4 --out "$OUT/throughput-$device.csv" | tee "$OUT/throughput-$device.txt"
done
